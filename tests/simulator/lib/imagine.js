'use strict';
// The Imagine WebSocket wss://grok.com/ws/imagine/listen (spec §2.5a): each
// round is a reset frame then a request frame; the server streams json
// start_stage, progressive image frames (blob + url), final image frames and
// completed json, interleaved across generations like the real service.
const { takeMedia } = require('./accounts');
const { ERR } = require('./respond');
const { uuid, sleep } = require('./util');
const { storeImagineImage } = require('./assets');
const { imageFor, sizeFor } = require('./media_files');
const { ASPECTS } = require('./media');

const PROPERTY_TYPES = {
  section_count: 'number',
  is_kids_mode: 'boolean',
  enable_nsfw: 'boolean',
  skip_upsampler: 'boolean',
  enable_side_by_side: 'boolean',
  is_initial: 'boolean',
  aspect_ratio: 'string',
  enable_pro: 'boolean',
  num_generations: 'number',
};

function validateRequest(content) {
  const v = [];
  if (content.type !== 'input_text') v.push(`content type ${JSON.stringify(content.type)} (want input_text or reset)`);
  if (typeof content.requestId !== 'string' || !content.requestId) v.push('requestId (string) is required');
  if (typeof content.text !== 'string' || !content.text) v.push('text (the prompt) is required');
  const p = content.properties;
  if (!p || typeof p !== 'object') return [...v, 'properties object is required'];
  for (const [k, t] of Object.entries(PROPERTY_TYPES)) {
    if (p[k] !== undefined && typeof p[k] !== t) v.push(`properties.${k} must be a ${t}`);
  }
  for (const k of Object.keys(p)) if (!(k in PROPERTY_TYPES)) v.push(`unknown property ${k}`);
  if (p.aspect_ratio === undefined) v.push('properties.aspect_ratio is required');
  else if (!ASPECTS.includes(p.aspect_ratio)) v.push(`aspect_ratio "${p.aspect_ratio}" is not supported`);
  if (p.num_generations !== undefined && (!Number.isInteger(p.num_generations) || p.num_generations < 1 || p.num_generations > 10)) {
    v.push('num_generations must be an integer 1..10');
  }
  return v;
}

function handleImagine(sim, ws, { account, fault, rec }) {
  const st = { reset: false, busy: false, stalled: false, fault };
  const send = (obj) => {
    if (ws.readyState === ws.OPEN && !st.stalled) ws.send(JSON.stringify(obj));
  };
  const violate = (text) => {
    sim.violation(rec, text);
    send({ type: 'error', err_code: 'invalid_request', err_msg: text, sim_violation: text });
  };

  ws.on('message', (data, isBinary) => {
    if (isBinary) return violate('imagine frames must be JSON text messages');
    let msg;
    try {
      msg = JSON.parse(data.toString('utf8'));
    } catch {
      return violate('imagine frame is not valid JSON');
    }
    if (!msg || msg.type !== 'conversation.item.create') return violate(`frame type ${JSON.stringify(msg && msg.type)} (want conversation.item.create)`);
    if (typeof msg.timestamp !== 'number') return violate('frame lacks a numeric timestamp (ms)');
    const item = msg.item;
    if (!item || item.type !== 'message' || !Array.isArray(item.content) || item.content.length !== 1) {
      return violate('item must be {type:"message", content:[one entry]}');
    }
    const content = item.content[0] || {};
    if (content.type === 'reset') {
      if (st.busy) return violate('reset while a generation round is streaming');
      st.reset = true;
      return undefined;
    }
    if (!st.reset) return violate('request frame without a preceding reset frame');
    if (st.busy) return violate('request while a generation round is streaming');
    const v = validateRequest(content);
    if (v.length) return violate(v.join('; '));
    st.reset = false;
    generate(content).catch((e) => process.stderr.write(`[sim] imagine error: ${e.stack}\n`));
    return undefined;
  });

  async function generate(content) {
    st.busy = true;
    const scripted = st.fault;
    const f = scripted ? scripted.fault : null;
    st.fault = null; // a scripted fault applies to the first round of the socket
    const p = content.properties;
    if (f === 'slow_first_event') await sleep(scripted.delay_ms);
    if (f === 'usage_limit' || !takeMedia(account, 'imagePro')) {
      send({ type: 'error', err_code: 'rate_limit_exceeded', err_msg: ERR.usageLimit });
      st.busy = false;
      return;
    }
    const n = p.num_generations || (p.enable_pro ? 4 : 6);
    const aspect = p.aspect_ratio;
    const moderated = /moderate/i.test(content.text);
    const { width, height } = sizeFor(aspect, 1024);
    const gens = Array.from({ length: n }, (_, i) => ({ id: uuid(), order: i }));
    const frames = [];
    for (const g of gens) frames.push({ type: 'json', current_status: 'start_stage', image_id: g.id, order: g.order, width, height, request_id: content.requestId, model: p.enable_pro ? 'imagine-2.0' : 'imagine' });
    // Progressive frames; every other step goes in reverse order so the
    // client sees generations out of order.
    for (const [step, pct] of [33, 66].entries()) {
      const list = step % 2 ? [...gens].reverse() : gens;
      for (const g of list) {
        const preview = imageFor(`${g.id}:preview${pct}`, aspect, 128).toString('base64');
        frames.push({ type: 'image', id: g.id, image_id: g.id, url: '', blob: preview, percentage_complete: pct, order: g.order, width, height });
        if (moderated) break;
      }
      if (moderated) break;
    }
    for (const g of [...gens].reverse()) {
      if (moderated) {
        frames.push({ type: 'json', current_status: 'completed', image_id: g.id, order: g.order, moderated: true, r_rated: false });
        continue;
      }
      const img = storeImagineImage(sim, account, g.id, content.text, aspect);
      frames.push({ type: 'image', id: g.id, image_id: g.id, url: img.url, blob: img.bytes.toString('base64'), percentage_complete: 100, order: g.order, width, height });
      frames.push({ type: 'json', current_status: 'completed', image_id: g.id, order: g.order, moderated: false, r_rated: false });
    }
    const delay = Number(sim.config.imagine_step_ms) || 0;
    const cut = Math.max(1, Math.ceil(frames.length / 2));
    for (let i = 0; i < frames.length; i++) {
      if (ws.readyState !== ws.OPEN) break;
      if (i === cut && f === 'stall') {
        st.stalled = true;
        return;
      }
      if (i === cut && f === 'reset') {
        ws.terminate();
        return;
      }
      if (i === cut && f === 'error_event') {
        send({ type: 'error', err_code: 'internal_error', err_msg: 'Internal error' });
        break;
      }
      if (i === frames.length - 1) st.busy = false;
      send(frames[i]);
      if (i < frames.length - 1) await sleep(delay);
    }
    st.busy = false;
  }
}

module.exports = { handleImagine };
