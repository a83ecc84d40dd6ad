'use strict';
// assets.grok.com: every generated image/video and uploaded file is stored
// with its owner, and only that account's cookies may download it (spec §2.9:
// "Direct asset URLs are not public").
const { gate } = require('./checks');
const { send, decisionReply } = require('./respond');
const { imageFor, mp4For, sizeFor } = require('./media_files');
const { uuid, sleep } = require('./util');

function putAsset(sim, path, owner, contentType, bytes) {
  const key = path.replace(/^\/+/, '');
  sim.assets.set(key, { owner, contentType, bytes, createdAt: Date.now() });
  return key;
}

// Image generated for chat drawing / image edit: relative users/<uid>/generated/… path.
function storeGeneratedImage(sim, account, prompt, aspect) {
  const id = uuid();
  const path = putAsset(sim, `users/${account.userId}/generated/${id}/image.jpg`, account.userId, 'image/jpeg', imageFor(`${id}:${prompt}`, aspect));
  return { id, path };
}

// Imagine WS image: absolute URL on the public image host.
function storeImagineImage(sim, account, id, prompt, aspect) {
  const bytes = imageFor(`${id}:${prompt}`, aspect);
  const path = putAsset(sim, `imagine-public/images/${id}.jpg`, account.userId, 'image/jpeg', bytes);
  return { url: `${sim.publicAssetBase()}/${path}`, bytes, ...sizeFor(aspect, 1024) };
}

function storeVideo(sim, account, videoId, prompt, aspect) {
  const base = `users/${account.userId}/generated/${videoId}`;
  const videoUrl = putAsset(sim, `${base}/generated_video.mp4`, account.userId, 'video/mp4', mp4For(`${videoId}:${prompt}`));
  const thumbnailImageUrl = putAsset(sim, `${base}/preview_image.jpg`, account.userId, 'image/jpeg', imageFor(`${videoId}:thumb`, aspect));
  return { videoUrl, thumbnailImageUrl };
}

const xmlError = (code, message) =>
  `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

async function handleAssets(sim, req, res, { target, rec }) {
  rec.kind = 'assets';
  const d = gate(sim, { req, kind: 'assets', method: req.method, pathname: target.pathname, target, rec });
  if (d.action !== 'ok') {
    const r = decisionReply('assets', d);
    return send(req, res, r.status, r.body, r.headers);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(req, res, 405, xmlError('MethodNotAllowed', 'Method not allowed'), { 'content-type': 'application/xml' });
  const f = d.fault ? d.fault.fault : null;
  if (f === 'slow_first_byte' || f === 'slow_first_event') await sleep(d.fault.delay_ms);
  if (f === 'usage_limit') return send(req, res, 429, xmlError('TooManyRequests', 'Too many requests'), { 'content-type': 'application/xml' });
  if (f === 'error_event') return send(req, res, 500, xmlError('InternalError', 'Internal error'), { 'content-type': 'application/xml' });

  const asset = sim.assets.get(decodeURIComponent(target.pathname).replace(/^\/+/, ''));
  if (!asset) return send(req, res, 404, xmlError('NoSuchKey', 'The specified key does not exist.'), { 'content-type': 'application/xml' });
  if (!d.sso) sim.violation(rec, 'asset download without the sso/sso-rw cookies of the generating account');
  if (!d.account || d.account.userId !== asset.owner || d.account.status !== 'active') {
    if (d.account && d.account.userId !== asset.owner) sim.violation(rec, 'asset downloaded with another account than the one that generated it');
    return send(req, res, 403, xmlError('AccessDenied', 'Access denied.'), { 'content-type': 'application/xml' });
  }

  let body = asset.bytes;
  let status = 200;
  const headers = { 'content-type': asset.contentType, 'accept-ranges': 'bytes', 'cache-control': 'private, max-age=31536000' };
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range || '');
  if (range && (range[1] || range[2])) {
    const size = body.length;
    let start = range[1] ? Number(range[1]) : size - Number(range[2]);
    let end = range[1] && range[2] ? Number(range[2]) : size - 1;
    start = Math.max(0, start);
    end = Math.min(end, size - 1);
    if (start > end) return send(req, res, 416, '', { 'content-range': `bytes */${size}` }, { compress: false });
    headers['content-range'] = `bytes ${start}-${end}/${size}`;
    body = body.subarray(start, end + 1);
    status = 206;
  }
  if (f === 'stall' || f === 'reset') {
    res.writeHead(status, { ...headers, 'content-length': body.length });
    res.write(body.subarray(0, Math.max(1, body.length >> 1)), () => {
      if (f === 'reset') res.socket.destroy();
    });
    return;
  }
  send(req, res, status, body, headers, { compress: false });
}

module.exports = { handleAssets, putAsset, storeGeneratedImage, storeImagineImage, storeVideo };
