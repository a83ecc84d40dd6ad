'use strict';
// Server-side conversations, so continuations (mgw conversation_id +
// parent_response_id, REST /conversations/<id>/responses + responseId) can be
// checked against what this account really created.
const { uuid } = require('./util');

class Conversations {
  constructor() {
    this.byId = new Map();
  }

  create(ownerUserId, via) {
    const conv = { id: uuid(), owner: ownerUserId, via, responses: [], createdAt: Date.now() };
    this.byId.set(conv.id, conv);
    return conv;
  }

  get(id) {
    return this.byId.get(id) || null;
  }

  addResponse(conv, resp) {
    conv.responses.push({ ...resp, at: Date.now() });
  }

  hasResponse(conv, responseId) {
    return conv.responses.some((r) => r.id === responseId);
  }

  lastResponseId(conv) {
    return conv.responses.length ? conv.responses[conv.responses.length - 1].id : null;
  }

  clear() {
    this.byId.clear();
  }
}

module.exports = { Conversations };
