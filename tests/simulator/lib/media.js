'use strict';
// Media through POST /rest/app-chat/conversations/new: image edit (spec §2.5c,
// modelName imagine-image-edit) and video (spec §2.6, modelName imagine-video-gen).
const { takeMedia } = require('./accounts');
const { playNdjson } = require('./streaming');
const { sendJson, sendViolation, ERR } = require('./respond');
const { uuid } = require('./util');
const { storeGeneratedImage, storeVideo } = require('./assets');
const { sha256 } = require('./video_generations');

const ASPECTS = ['auto', '1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3', '2:1', '1:2', '19.5:9', '9:19.5', '20:9', '9:20'];
const PRESETS = ['custom', 'normal', 'extremely-crazy', 'extremely-spicy-or-crazy'];
const moderate = (prompt) => /moderate/i.test(prompt || '');

function ownedAssets(sim, account, ids, v, where) {
  if (!Array.isArray(ids) || ids.length === 0) return v.push(`${where}.inputAssets must be a non-empty array of fileMetadataIds`);
  for (const id of ids) {
    const up = sim.uploads.get(id);
    if (!up || up.owner !== account.userId) v.push(`${where}.inputAssets: ${id} is not a file this account uploaded`);
    else if (!/^image\//.test(up.mime)) v.push(`${where}.inputAssets: ${id} is not an image`);
  }
  return null;
}

function conversationLine(conv) {
  const now = new Date().toISOString();
  return { result: { conversation: { conversationId: conv.id, title: 'New conversation', starred: false, createTime: now, modifyTime: now, systemPromptName: '', temporary: true, mediaTypes: [] } } };
}

function fail(ctx, v) {
  for (const t of v) ctx.sim.violation(ctx.rec, t);
  return sendViolation(ctx.req, ctx.res, v.join('; '));
}

async function handleImageEdit(ctx) {
  const { sim, req, res, account, json: body } = ctx;
  const v = [];
  if (typeof body.message !== 'string') v.push('message (string) is required');
  const i2i = body.mediaGenInput && body.mediaGenInput.imageToImage;
  if (!i2i || typeof i2i !== 'object') v.push('mediaGenInput.imageToImage is required for imagine-image-edit');
  else {
    if (typeof i2i.prompt !== 'string' || !i2i.prompt) v.push('imageToImage.prompt (string) is required');
    ownedAssets(sim, account, i2i.inputAssets, v, 'imageToImage');
    if (Array.isArray(i2i.inputAssets) && i2i.inputAssets.length > 8) v.push('imageToImage.inputAssets: at most 8 images');
    if (i2i.aspectRatio !== undefined && !ASPECTS.includes(i2i.aspectRatio)) v.push(`imageToImage.aspectRatio "${i2i.aspectRatio}" is not supported`);
  }
  if ('modeId' in body) v.push('modeId must not be sent with modelName imagine-image-edit');
  if (v.length) return fail(ctx, v);
  if (!takeMedia(account, 'imageEdit')) return sendJson(req, res, 429, ERR.tooMany);

  const conv = sim.conversations.create(account.userId, 'image_edit');
  const respId = uuid();
  const r = (extra) => ({ result: { response: { isThinking: false, isSoftStop: false, responseId: respId, ...extra } } });
  const lines = [conversationLine(conv)];
  const moderated = moderate(i2i.prompt);
  const img = storeGeneratedImage(sim, account, i2i.prompt, i2i.aspectRatio || '1:1');
  for (const progress of [25, 60]) {
    lines.push(r({ streamingImageGenerationResponse: { imageId: img.id, imageUrl: '', progress, isFinal: false, moderated: false, imageIndex: 0 } }));
  }
  if (moderated) sim.assets.delete(img.path);
  lines.push(r({ streamingImageGenerationResponse: { imageId: img.id, imageUrl: moderated ? '' : img.path, progress: 100, isFinal: true, moderated, imageIndex: 0 } }));
  lines.push(r({ modelResponse: { responseId: respId, message: moderated ? 'The image could not be generated.' : 'I edited the image.', sender: 'ASSISTANT', generatedImageUrls: moderated ? [] : [img.path], cardAttachmentsJson: [], fileAttachments: i2i.inputAssets, streamErrors: [] } }));
  lines.push(r({ isSoftStop: true }));
  sim.conversations.addResponse(conv, { id: respId, role: 'assistant' });
  await playNdjson(ctx, lines, { keep: 1 });
}

function validateVideo(sim, account, body) {
  const v = [];
  if (body.kind !== 'CONVERSATION_KIND_IMAGINE') v.push(`kind must be CONVERSATION_KIND_IMAGINE for imagine-video-gen (got ${JSON.stringify(body.kind)})`);
  if (typeof body.message !== 'string') v.push('message (string) is required');
  else {
    const m = /--mode=(\S+)\s*$/.exec(body.message);
    if (!m) v.push('message must end with a --mode=<preset> suffix');
    else if (!PRESETS.includes(m[1])) v.push(`--mode=${m[1]} is not one of ${PRESETS.join('|')}`);
  }
  if ('modeId' in body) v.push('modeId must not be sent with modelName imagine-video-gen');
  const mg = body.mediaGenInput || {};
  const t2v = mg.textToVideo;
  const i2v = mg.imageToVideo;
  if (!!t2v === !!i2v) {
    v.push('mediaGenInput needs exactly one of textToVideo / imageToVideo');
    return { v };
  }
  const spec = t2v || i2v;
  const where = t2v ? 'textToVideo' : 'imageToVideo';
  if (typeof spec.prompt !== 'string') v.push(`${where}.prompt (string) is required`);
  if (!ASPECTS.includes(spec.aspectRatio)) v.push(`${where}.aspectRatio "${spec.aspectRatio}" is not supported`);
  if (!Number.isInteger(spec.duration) || spec.duration < 1 || spec.duration > 15) v.push(`${where}.duration must be an integer 1..15`);
  if (!['480p', '720p'].includes(spec.resolutionName)) v.push(`${where}.resolutionName must be 480p|720p`);
  if (i2v) {
    ownedAssets(sim, account, i2v.inputAssets, v, 'imageToVideo');
    if (i2v.mode !== undefined && !PRESETS.includes(i2v.mode)) v.push(`imageToVideo.mode "${i2v.mode}" is not a preset`);
  }
  return { v, spec };
}

async function handleVideo(ctx) {
  const { sim, req, res, account, json: body } = ctx;
  const { v, spec } = validateVideo(sim, account, body);
  if (v.length) return fail(ctx, v);
  // Free accounts: longer than 6 s is refused outright ([PR969]).
  if (account.tier === 'basic' && spec.duration > 6) return sendJson(req, res, 429, ERR.tooMany);
  const quota = spec.resolutionName === '720p' ? 'video720p' : 'video';
  if (!takeMedia(account, quota)) return sendJson(req, res, 429, ERR.tooMany);

  const conv = sim.conversations.create(account.userId, 'video');
  const videoId = uuid();
  const postId = uuid();
  const respId = uuid();
  const i2v = body.mediaGenInput.imageToVideo;
  const inputs = i2v ? i2v.inputAssets.map((id) => inputView(sim, id)) : [];
  const gen = sim.videos.record({ account, spec, kind: i2v ? 'imageToVideo' : 'textToVideo', quota, videoId, inputs });
  const r = (extra) => ({ result: { response: { isThinking: false, isSoftStop: false, responseId: respId, ...extra } } });
  const lines = [conversationLine(conv)];
  for (const progress of [1, 20, 45, 70, 95]) {
    const p = { videoId, progress, videoPostId: postId };
    if (progress === 1) p.resolutionName = spec.resolutionName;
    lines.push(r({ streamingVideoGenerationResponse: p }));
  }
  // Scripted error / reset / stall faults act right after the progress-45 line.
  const cut = 4;
  let outcome = 'no_url';
  // Longer than 10 s: the stream ends without a URL (chenyme #792).
  if (spec.duration <= 10) {
    if (moderate(spec.prompt)) {
      outcome = 'moderated';
      lines.push(r({ streamingVideoGenerationResponse: { videoId, progress: 100, videoPostId: postId, moderated: true } }));
    } else {
      outcome = 'completed';
      const urls = storeVideo(sim, account, videoId, spec.prompt, spec.aspectRatio);
      gen.video_path = urls.videoUrl;
      gen.thumbnail_path = urls.thumbnailImageUrl;
      lines.push(r({ streamingVideoGenerationResponse: { videoId, progress: 100, assetId: videoId, videoPostId: postId, videoUrl: urls.videoUrl, thumbnailImageUrl: urls.thumbnailImageUrl, resolutionName: spec.resolutionName, moderated: false } }));
    }
  }
  lines.push(r({ token: 'I generated a video', isSoftStop: true }));
  sim.conversations.addResponse(conv, { id: respId, role: 'assistant' });
  const f = ctx.fault || {};
  const errorLine = { error: { code: f.code !== undefined ? f.code : 13, message: f.message || 'Video generation failed: internal error' } };
  const afterLine = async (line) => {
    const g = line.result && line.result.response && line.result.response.streamingVideoGenerationResponse;
    if (g && typeof g.progress === 'number') await sim.videos.after(gen, g.progress, res);
  };
  const ended = await playNdjson(ctx, lines, { keep: 1, cut, errorLine, afterLine, delayMs: sim.config.video_step_ms });
  // A client that closes right after the final progress line has the result.
  gen.status = ended === 'ended' || (ended === 'closed' && gen.progress === 100) ? outcome : ended;
}

// What a test needs to know of an imageToVideo input asset.
function inputView(sim, id) {
  const up = sim.uploads.get(id);
  const asset = up && sim.assets.get(up.fileUri);
  return { id, mime: up ? up.mime : null, size: up ? up.size : null, file_uri: up ? up.fileUri : null, sha256: asset ? sha256(asset.bytes) : null };
}

module.exports = { handleImageEdit, handleVideo, ASPECTS, PRESETS };
