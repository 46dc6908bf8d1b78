'use strict';
// A big all-items answer goes to flowrun in parts (`items` messages, docs/task-runners.md): while
// flowrun reads part k into items, the runner turns part k+1 into text. The text of the parts is
// the text JSON.stringify makes of the whole array, cut between elements.
const { isProxy } = require('node:util').types;
const { sendLine } = require('./protocol.js');

/** Answers with fewer items go whole, in the `done` message. */
const PARTS_FROM = 1000;
/** About this many bytes of text per part (the first part has FIRST_PART items). */
const PART_BYTES = 64 * 1024;
const FIRST_PART = 256;

/**
 * Sends the array `result` to flowrun as `items` messages and returns null, or returns its JSON
 * text to send whole: for a small answer, an array that is a proxy or has `toJSON`, or elements
 * that are proxies or have `toJSON` (which JSON.stringify calls with the element's index).
 *
 * Each element is read once, as JSON.stringify reads it, into a plain copy that is cut into parts;
 * when the copy cannot be cut, its text is the array's text (same indices). When JSON.stringify fails on a part
 * or on the copy, the array itself is stringified instead, so the error (its message, a cycle's path) is the one
 * stringifying the array gives; flowrun drops the parts already sent, as `done` does not say
 * `streamed`.
 */
function sendInParts(taskId, result) {
  const count = result.length;
  if (count < PARTS_FROM || isProxy(result) || 'toJSON' in result) return JSON.stringify(result);
  const copy = new Array(count);
  let cuttable = true;
  for (let i = 0; i < count; i++) {
    const item = copy[i] = result[i];
    if (cuttable && typeof item === 'object' && item !== null && (isProxy(item) || 'toJSON' in item)) cuttable = false;
  }
  if (!cuttable) {
    try {
      return JSON.stringify(copy);
    } catch {
      return JSON.stringify(result);
    }
  }
  const head = `{"type":"items","task":${JSON.stringify(taskId)},"items":`;
  let size = FIRST_PART;
  for (let start = 0; start < count;) {
    const end = Math.min(count, start + size);
    let text;
    try {
      text = JSON.stringify(copy.slice(start, end));
    } catch {
      return JSON.stringify(result);
    }
    sendLine(head, text, '}');
    if (start === 0) size = Math.max(64, Math.min(16384, Math.round((PART_BYTES * (end - start)) / Math.max(1, text.length))));
    start = end;
  }
  return null;
}

module.exports = { sendInParts };
