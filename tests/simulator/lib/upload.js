'use strict';
// POST /http/upload-file-v2/direct (spec §2.4): multipart with a `file` part
// (filename + real MIME) and an optional file_source field.
const { sendViolation, sendJson } = require('./respond');
const { answerJson } = require('./streaming');
const { uuid } = require('./util');
const { putAsset } = require('./assets');

const MAX_FILE = 64 * 1024 * 1024;
const FILE_SOURCES = ['IMAGINE_SELF_UPLOAD_FILE_SOURCE'];

// Minimal RFC 7578 parser: returns [{name, filename, contentType, data}] or throws.
function parseMultipart(contentType, body) {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType || '');
  if (!m) throw new Error('multipart Content-Type without boundary');
  const boundary = Buffer.from(`--${(m[1] || m[2]).trim()}`);
  const parts = [];
  let pos = body.indexOf(boundary);
  if (pos < 0) throw new Error('multipart body does not contain its boundary');
  for (;;) {
    pos += boundary.length;
    if (body.subarray(pos, pos + 2).toString() === '--') break; // closing delimiter
    if (body.subarray(pos, pos + 2).toString() !== '\r\n') throw new Error('malformed multipart delimiter line (want CRLF)');
    pos += 2;
    const headEnd = body.indexOf('\r\n\r\n', pos);
    if (headEnd < 0) throw new Error('multipart part without header terminator');
    const headers = {};
    for (const line of body.subarray(pos, headEnd).toString('utf8').split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), boundary]), headEnd + 4);
    if (next < 0) throw new Error('multipart part is not terminated by the boundary');
    const disp = headers['content-disposition'] || '';
    const name = /(?:^|;)\s*name="([^"]*)"/i.exec(disp);
    const filename = /filename="([^"]*)"/i.exec(disp);
    if (!/^form-data/i.test(disp) || !name) throw new Error('part without Content-Disposition: form-data; name="…"');
    parts.push({ name: name[1], filename: filename ? filename[1] : null, contentType: headers['content-type'] || null, data: body.subarray(headEnd + 4, next) });
    pos = next + 2;
  }
  return parts;
}

function sniffImage(buf) {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (buf.length >= 6 && /^GIF8[79]a$/.test(buf.toString('latin1', 0, 6))) return 'image/gif';
  return null;
}

async function handleUpload(ctx) {
  const { sim, req, res, account, body, rec } = ctx;
  let parts;
  try {
    parts = parseMultipart(req.headers['content-type'], body);
  } catch (e) {
    sim.violation(rec, `upload: ${e.message}`);
    return sendViolation(req, res, `upload: ${e.message}`);
  }
  const v = [];
  const files = parts.filter((p) => p.name === 'file');
  if (files.length !== 1) v.push(`upload needs exactly one part named "file" (got ${files.length})`);
  const file = files[0];
  if (file) {
    if (!file.filename) v.push('the file part has no filename');
    if (!file.contentType) v.push('the file part has no Content-Type');
  }
  for (const p of parts) {
    if (p.name === 'file') continue;
    if (p.name === 'file_source') {
      if (!FILE_SOURCES.includes(p.data.toString('utf8'))) v.push(`file_source "${p.data.toString('utf8')}" is not ${FILE_SOURCES.join('|')}`);
    } else v.push(`unexpected multipart field "${p.name}"`);
  }
  if (v.length) {
    for (const t of v) sim.violation(rec, t);
    return sendViolation(req, res, v.join('; '));
  }
  if (file.data.length > MAX_FILE) return sendJson(req, res, 413, { error: { code: 3, message: 'File too large', details: [] } });

  // Declared image types must match the bytes; the real service rejects the
  // upload through terminalError rather than an HTTP error.
  const declared = file.contentType.split(';')[0].trim().toLowerCase();
  const sniffed = sniffImage(file.data);
  const uploadId = uuid();
  if (declared.startsWith('image/') && sniffed !== declared) {
    return answerJson(ctx, 200, { uploadId, fileMetadata: null, terminalError: { code: 'INVALID_FILE', message: `content is ${sniffed || 'not an image'}, declared ${declared}` } });
  }
  const fileId = uuid();
  const fileMetadataId = uuid();
  const fileUri = putAsset(sim, `users/${account.userId}/${fileId}/content`, account.userId, declared, Buffer.from(file.data));
  // Attachments may name the file by fileMetadataId (preferred) or fileId.
  const meta = { owner: account.userId, fileUri, mime: declared, name: file.filename, size: file.data.length, fileMetadataId, fileId };
  sim.uploads.set(fileMetadataId, meta);
  sim.uploads.set(fileId, meta);
  const answer = { uploadId, fileMetadata: { fileMetadataId, fileId, fileUri, fileName: file.filename, fileMimeType: declared }, terminalError: null };
  if (ctx.fault && ctx.fault.fault === 'error_event') {
    return answerJson({ ...ctx, fault: null }, 200, { uploadId, fileMetadata: null, terminalError: { code: 'INTERNAL', message: 'Upload failed' } });
  }
  return answerJson(ctx, 200, answer, { onUsageLimit: null });
}

module.exports = { handleUpload, parseMultipart, sniffImage };
