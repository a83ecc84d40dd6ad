'use strict';
// The chat WebSocket "Gateway" wss://grok.com/ws/mgw/?uid=<uuid> (spec §2.1):
// session.create → session.created + conversation.attached;
// conversation.item.create; response.create → response.* events → response.done.
const { MODES, modeAllowed, takeChat } = require('./accounts');
const answer = require('./answer');
const { ERR } = require('./respond');
const { uuid, sleep } = require('./util');
const { storeGeneratedImage } = require('./assets');

const ANALYSIS = 'CHANNEL_ANALYSIS';
const ASSISTANT = 'CHANNEL_ASSISTANT_RESPONSE';

function handleMgw(sim, ws, { account, fault, rec }) {
  const st = { created: false, conv: null, mode: null, pending: null, busy: false, stalled: false, fault, firstSent: false };
  const send = (obj) => {
    if (ws.readyState === ws.OPEN && !st.stalled) ws.send(JSON.stringify(obj));
  };
  const ev = (event, withSession = false) => (withSession && st.conv ? { session_id: st.conv.id, event } : { event });
  const violate = (text) => {
    sim.violation(rec, text);
    send({ sim_violation: text, event: { type: 'error', error: { code: 'invalid_envelope', message: text } } });
  };
  const error = (code, message) => send({ event: { type: 'error', error: { code, message } } });

  const pingMs = Math.max(20, Number(sim.config.mgw_ping_ms) || 15000);
  const timer = setInterval(() => {
    if (!st.busy) send({ event: { type: 'ping', event_id: `evt_srv_hb_${Date.now()}` } });
  }, pingMs);
  ws.on('close', () => clearInterval(timer));

  let queue = Promise.resolve();
  ws.on('message', (data, isBinary) => {
    queue = queue.then(() => onMessage(data, isBinary)).catch((e) => process.stderr.write(`[sim] mgw handler error: ${e.stack}\n`));
  });

  async function onMessage(data, isBinary) {
    if (isBinary) return violate('mgw frames must be JSON text messages, got a binary frame');
    let env;
    try {
      env = JSON.parse(data.toString('utf8'));
    } catch {
      return violate('mgw frame is not valid JSON');
    }
    const event = env && env.event;
    if (!event || typeof event !== 'object' || typeof event.type !== 'string') return violate('mgw frame lacks {"event":{"type":…}}');
    if (event.type === 'ping') return undefined;
    if (event.type === 'session.create') return sessionCreate(env, event);
    if (!st.created) return violate(`${event.type} before session.create`);
    if (env.session_id !== st.conv.id) return violate(`envelope session_id ${JSON.stringify(env.session_id)} is not the attached conversation ${st.conv.id}`);
    if (event.type === 'conversation.item.create') return itemCreate(env, event);
    if (event.type === 'response.create') {
      if (!st.pending) return violate('response.create without a preceding conversation.item.create');
      if (st.busy) return violate('response.create while a response is still streaming');
      respond(); // runs concurrently so pings/violations are still read
      return undefined;
    }
    return violate(`unknown client event type ${event.type}`);
  }

  async function sessionCreate(env, event) {
    if (st.created) return violate('session.create sent twice on one socket');
    if (typeof event.event_id !== 'string' || !event.event_id) return violate('session.create lacks event_id');
    const session = event.session;
    if (!session || typeof session !== 'object') return violate('session.create lacks the mandatory session object');
    if (!MODES.includes(session.model)) return violate(`session.model ${JSON.stringify(session.model)} is not a mode (${MODES.join('|')})`);
    const xg = session.x_grok || {};
    let conv;
    if (env.session_id !== undefined || xg.conversation_id !== undefined) {
      if (env.session_id !== xg.conversation_id) return violate('continuation: envelope session_id must equal x_grok.conversation_id');
      if (xg.load_existing !== true) return violate('continuation: x_grok.load_existing must be true');
      conv = sim.conversations.get(xg.conversation_id);
      if (!conv || conv.owner !== account.userId) {
        sim.violation(rec, `continuation of conversation ${xg.conversation_id} that this account did not create`);
        return error('not_found', 'conversation not found');
      }
    }
    if (!modeAllowed(account, session.model)) {
      return error('permission_denied', `Mode ${session.model} is not available on your plan [WKE=unauthorized:mode-not-allowed]`);
    }
    st.conv = conv || sim.conversations.create(account.userId, 'mgw');
    st.mode = session.model;
    st.created = true;
    if (st.fault && st.fault.fault === 'slow_first_event') await sleep(st.fault.delay_ms);
    send(ev({ type: 'session.created', client_event_id: event.event_id, session: { id: st.conv.id, model: st.mode } }, true));
    send(ev({ type: 'conversation.attached', conversation: { id: st.conv.id } }, true));
    return undefined;
  }

  function itemCreate(env, event) {
    if (st.busy) return violate('conversation.item.create while a response is still streaming');
    const item = event.item;
    if (!item || item.type !== 'message' || item.role !== 'user') return violate('conversation.item.create needs item {type:"message", role:"user"}');
    const xg = item.x_grok;
    if (!xg || !Array.isArray(xg.input_chunks)) return violate('item.x_grok.input_chunks (array) is required');
    if (typeof xg.client_message_id !== 'string') return violate('item.x_grok.client_message_id (string) is required');
    const texts = [];
    const mentions = [];
    for (const c of xg.input_chunks) {
      if (c && c.text && typeof c.text.text === 'string') texts.push(c.text.text);
      else if (c && c.mention && c.mention.target && c.mention.target.file_mention) mentions.push(c.mention.target.file_mention.file_id);
      else return violate(`unknown input chunk ${JSON.stringify(c).slice(0, 80)}`);
    }
    if (!texts.length) return violate('input_chunks carry no {"text":{"text":…}} chunk');
    const ids = [...new Set([...mentions, ...(item.file_attachment_ids || []), ...(event.file_attachment_ids || [])])];
    for (const id of mentions) {
      if (!(item.file_attachment_ids || []).includes(id) || !(event.file_attachment_ids || []).includes(id)) {
        return violate(`file ${id} is mentioned but not listed in item.file_attachment_ids and event.file_attachment_ids`);
      }
    }
    for (const id of ids) {
      const up = sim.uploads.get(id);
      if (!up || up.owner !== account.userId) return violate(`file ${id} is not a file this account uploaded`);
    }
    const assistant = st.conv.responses.filter((r) => r.role === 'assistant');
    const parent = event.parent_response_id;
    if (assistant.length) {
      if (!parent) return violate('continuing a conversation requires parent_response_id (the previous response.done id)');
      if (!assistant.some((r) => r.id === parent)) return violate(`parent_response_id ${parent} is not a response of conversation ${st.conv.id}`);
    } else if (parent !== undefined) return violate('parent_response_id on a conversation without responses');
    st.pending = { prompt: texts.join('\n'), files: ids.map((id) => sim.uploads.get(id).name), parent: parent || null };
    return undefined;
  }

  function buildEvents(item, respId) {
    const { prompt } = item;
    const out = [];
    const chunk = (c) => out.push(ev({ type: 'response.chunk', chunk: c }));
    out.push(ev({ type: 'response.output_item.added', item: { id: `item_${respId}`, type: 'message', role: 'assistant' } }));
    out.push(ev({ type: 'ping', event_id: `evt_srv_hb_${Date.now()}` }));
    if (answer.wantsThinking(st.mode, prompt)) for (const t of answer.thinkingParts(prompt)) chunk({ text: { text: t, channel: ANALYSIS } });
    let results = null;
    if (answer.wantsSearch(prompt)) {
      const query = answer.lastUserLine(prompt);
      results = answer.searchResults(query);
      const cardId = `tool-${respId.slice(0, 8)}`;
      chunk({ tool_usage_card: { tool_usage_card_id: cardId, web_search: { args: { query } } } });
      chunk({ tool_result: { tool_call_id: cardId, web_search: { webpages: results } } });
      for (const r of results) out.push(ev({ type: 'response.search.result', result: { url: r.url, title: r.title } }));
    }
    out.push(ev({ type: 'response.content_part.added', part: { type: 'text' } }));
    if (answer.wantsDrawing(prompt)) {
      for (let i = 0; i < 2; i++) {
        const img = storeGeneratedImage(sim, account, answer.lastUserLine(prompt), '1:1');
        for (const progress of [50, 100]) {
          const jsonData = JSON.stringify({ id: `card_${img.id}`, type: 'render_generated_image', image_chunk: { imageUuid: img.id, imageUrl: img.path, progress, moderated: false } });
          out.push(ev({ type: 'response.grok.output', output: { card_attachment: { jsonData } } }));
        }
      }
    }
    const text = answer.answerText(prompt, item.files);
    answer.deltas(text, 4).forEach((d, i) => {
      chunk({ text: { text: d, channel: ASSISTANT } });
      if (i === 0 && results) chunk({ render_citation: { id: `c-${respId.slice(0, 6)}`, kind: 'CITATION_KIND_WEB_PAGE', url: results[0].url, citation_id: 0 } });
    });
    out.push(ev({ type: 'response.output_item.done', item: { id: `item_${respId}`, status: 'completed' } }));
    out.push(ev({ type: 'response.done', response: { id: respId, status: 'completed' } }));
    return { events: out, text };
  }

  function usageEvents(item, respId) {
    const out = [];
    if (answer.wantsDrawing(item.prompt)) {
      const jsonData = JSON.stringify({ id: `card_${respId}`, image_chunk: { progress: 0, moderated: false, systemErrCode: 'rate_limit', message: ERR.usageLimit } });
      out.push(ev({ type: 'response.grok.output', output: { card_attachment: { jsonData } } }));
    } else {
      out.push(ev({ type: 'response.grok.output', output: { stream_error: { code: 'rate_limit', message: ERR.usageLimit } } }));
    }
    out.push(ev({ type: 'response.done', response: { id: respId, status: 'failed' } }));
    return out;
  }

  async function respond() {
    st.busy = true;
    const item = st.pending;
    st.pending = null;
    const f = st.fault ? st.fault.fault : null;
    st.fault = null; // a scripted fault applies to the first response of the socket
    const respId = uuid();
    const delay = Number(sim.config.chunk_delay_ms) || 0;
    send(ev({ type: 'response.created', response: { id: respId, status: 'in_progress' } }));
    let events;
    let text = null;
    if (f === 'usage_limit' || !takeChat(account, st.mode)) events = usageEvents(item, respId);
    else ({ events, text } = buildEvents(item, respId));
    const cut = Math.max(1, Math.ceil(events.length / 2));
    for (let i = 0; i < events.length; i++) {
      if (ws.readyState !== ws.OPEN) break;
      if (i === cut && f === 'stall') {
        st.stalled = true; // keep the socket open, never say another word
        return;
      }
      if (i === cut && f === 'reset') {
        ws.terminate();
        return;
      }
      if (i === cut && f === 'error_event') {
        error('internal', 'Internal error');
        st.busy = false;
        return;
      }
      if (i === events.length - 1) {
        // Settle state before response.done leaves, so a client may start the
        // next turn the moment it reads it.
        if (text !== null) sim.conversations.addResponse(st.conv, { id: respId, role: 'assistant', parent: item.parent, answer: text });
        st.busy = false;
      }
      send(events[i]);
      if (i < events.length - 1) await sleep(delay);
    }
    st.busy = false;
  }
}

module.exports = { handleMgw };
