'use strict';
// Legacy REST chat (spec §2.2): POST /rest/app-chat/conversations/new and
// POST /rest/app-chat/conversations/<id>/responses, streaming bare NDJSON.
const { MODES, modeAllowed, takeChat } = require('./accounts');
const answer = require('./answer');
const { playNdjson, usageLine } = require('./streaming');
const { sendJson, sendViolation } = require('./respond');
const { uuid } = require('./util');
const { storeGeneratedImage } = require('./assets');

// Fields of the Feb-2026 body that the current site no longer accepts.
const OBSOLETE = ['modelName', 'modelMode', 'isReasoning'];

function validateBody(body, { followUp }) {
  const v = [];
  if (!body || typeof body !== 'object' || Array.isArray(body)) return ['body is not a JSON object'];
  if (typeof body.message !== 'string') v.push('message (string) is required');
  if (!MODES.includes(body.modeId)) v.push(`modeId "${body.modeId}" is not one of ${MODES.join('|')}`);
  for (const k of OBSOLETE) if (k in body) v.push(`obsolete field ${k} (the current site takes modeId)`);
  if (body.responseMetadata && body.responseMetadata.requestModelDetails) v.push('obsolete responseMetadata.requestModelDetails');
  if (body.fileAttachments !== undefined && !Array.isArray(body.fileAttachments)) v.push('fileAttachments must be an array');
  if (followUp && typeof body.responseId !== 'string') v.push('follow-up body lacks responseId (the parent response id)');
  return v;
}

function modeDenied(mode) {
  return { error: { code: 7, message: `Mode ${mode} is not available on your plan [WKE=unauthorized:mode-not-allowed]`, details: [] } };
}

async function handleRestChat(ctx) {
  const { sim, req, res, account, json: body, rec } = ctx;
  const followUpId = ctx.conversationId || null;
  const v = validateBody(body, { followUp: !!followUpId });
  const files = Array.isArray(body && body.fileAttachments) ? body.fileAttachments : [];
  for (const id of files) {
    const up = sim.uploads.get(id);
    if (!up || up.owner !== account.userId) v.push(`fileAttachments: ${id} is not a file this account uploaded`);
  }
  let conv = null;
  if (!v.length && followUpId) {
    conv = sim.conversations.get(followUpId);
    if (!conv || conv.owner !== account.userId) {
      sim.violation(rec, `follow-up on conversation ${followUpId} that this account did not create`);
      return sendJson(req, res, 404, { error: { code: 5, message: 'Conversation not found', details: [] } });
    }
    if (!sim.conversations.hasResponse(conv, body.responseId)) v.push(`responseId ${body.responseId} is not a response of conversation ${conv.id}`);
  }
  if (v.length) {
    for (const t of v) sim.violation(rec, t);
    return sendViolation(req, res, v.join('; '));
  }
  const mode = body.modeId;
  if (!modeAllowed(account, mode)) return sendJson(req, res, 403, modeDenied(mode));

  const isNew = !conv;
  if (isNew) conv = sim.conversations.create(account.userId, 'rest');
  const now = new Date().toISOString();
  const userRespId = uuid();
  const respId = uuid();
  const lines = [];
  if (isNew) {
    lines.push({ result: { conversation: { conversationId: conv.id, title: 'New conversation', starred: false, createTime: now, modifyTime: now, systemPromptName: '', temporary: body.temporary !== false, mediaTypes: [] } } });
  }
  lines.push({ result: { response: { userResponse: { responseId: userRespId, message: body.message, sender: 'human', createTime: now, parentResponseId: followUpId ? body.responseId : '', manual: false, partial: false, shared: false, query: '', queryType: '', webSearchResults: [], xpostIds: [], xposts: [], generatedImageUrls: [], imageAttachments: [], fileAttachments: files, cardAttachmentsJson: [], fileUris: [], fileAttachmentsMetadata: [], isControl: false, steps: [], mediaTypes: [] }, isThinking: false, isSoftStop: false, responseId: userRespId } } });

  if (!takeChat(account, mode)) {
    await playNdjson({ ...ctx, fault: { fault: 'usage_limit' } }, lines, { keep: lines.length, usageLine: usageLine() });
    return;
  }

  const r = (extra) => ({ result: { response: { isThinking: false, isSoftStop: false, responseId: respId, ...extra } } });
  const prompt = body.message;
  const text = answer.answerText(prompt, files);
  if (answer.wantsThinking(mode, prompt)) {
    answer.thinkingParts(prompt).forEach((token, i) => {
      lines.push(r({ token, isThinking: true, ...(i === 0 ? { messageTag: 'header' } : {}), messageStepId: 1, ...(mode === 'heavy' ? { rolloutId: 'Grok' } : {}) }));
    });
  }
  const cards = [];
  let citation = '';
  if (answer.wantsSearch(prompt)) {
    const query = answer.lastUserLine(prompt);
    const results = answer.searchResults(query);
    const cardId = `card-${respId.slice(0, 8)}`;
    lines.push(r({ token: '', isThinking: true, messageTag: 'tool_usage_card', messageStepId: 2, toolUsageCardId: cardId, toolUsageCard: { toolUsageCardId: cardId, webSearch: { args: { query } } } }));
    lines.push(r({ token: '', isThinking: true, messageTag: 'raw_function_result', messageStepId: 2, toolUsageCardId: cardId, webSearchResults: { results: results.map((x) => ({ url: x.url, title: x.title, preview: x.snippet })) } }));
    const card = JSON.stringify({ id: `cite-${respId.slice(0, 6)}`, type: 'render_inline_citation', cardType: 'citation_card', url: results[0].url });
    cards.push(card);
    lines.push(r({ cardAttachment: { jsonData: card } }));
    citation = `<grok:render card_id="cite-${respId.slice(0, 6)}" card_type="citation_card" type="render_inline_citation"><argument name="citation_id">0</argument></grok:render>`;
  }
  const images = [];
  if (answer.wantsDrawing(prompt) && body.enableImageGeneration !== false) {
    const count = Math.min(Math.max(Number(body.imageGenerationCount) || 2, 1), 4);
    lines.push(r({ imageAttachmentInfo: {} }));
    for (let i = 0; i < count; i++) {
      const img = storeGeneratedImage(sim, account, answer.lastUserLine(prompt), '1:1');
      images.push(img.path);
      lines.push(r({ streamingImageGenerationResponse: { imageId: img.id, imageUrl: img.path, progress: 50, imageIndex: i, isFinal: false, moderated: false } }));
      lines.push(r({ streamingImageGenerationResponse: { imageId: img.id, imageUrl: img.path, progress: 100, imageIndex: i, isFinal: true, moderated: false } }));
    }
  }
  const parts = answer.deltas(text, 4);
  parts.forEach((token, i) => {
    lines.push(r({ token, messageTag: 'final', ...(i === 0 && mode === 'heavy' ? { rolloutId: 'Grok' } : {}) }));
    if (i === 0 && citation) lines.push(r({ token: citation, messageTag: 'final' }));
  });
  const full = parts[0] + citation + parts.slice(1).join('');
  lines.push(r({ modelResponse: { responseId: respId, message: full, sender: 'ASSISTANT', createTime: now, parentResponseId: userRespId, manual: false, partial: false, shared: false, query: '', queryType: '', webSearchResults: [], xpostIds: [], xposts: [], generatedImageUrls: images, imageAttachments: [], fileAttachments: files, cardAttachmentsJson: cards, fileUris: [], fileAttachmentsMetadata: [], isControl: false, steps: [], mediaTypes: [], streamErrors: [], metadata: { llm_info: { modelHash: `sim-${mode}` } } } }));
  if (body.sendFinalMetadata) lines.push(r({ finalMetadata: { followUpSuggestions: [], feedbackLabels: [], toolsUsed: {}, disclaimer: '' }, isSoftStop: true }));
  lines.push(r({ llmInfo: { modelHash: `sim-${mode}` } }));
  if (isNew) lines.push({ result: { title: { newTitle: answer.lastUserLine(prompt).slice(0, 40) || 'New conversation' } } });

  sim.conversations.addResponse(conv, { id: userRespId, role: 'user', parent: followUpId ? body.responseId : null });
  sim.conversations.addResponse(conv, { id: respId, role: 'assistant', parent: userRespId, answer: full });
  await playNdjson(ctx, lines, { keep: isNew ? 2 : 1 });
}

module.exports = { handleRestChat, validateBody };
