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
/** Items in the smallest of the last parts. */
const LAST_PART = 128;

/**
 * Sends the array `result` to flowrun as `items` messages and returns null, or returns its JSON
 * text to send whole: for a small answer, an array that is a proxy or has `toJSON`, or elements
 * that are proxies or have `toJSON` (which JSON.stringify calls with the element's index).
 *
 * Each element is read once, as JSON.stringify reads it, into a plain copy that is cut into parts.
 * The elements of a part are checked just before it is stringified (not all of them before the
 * first part: that check costs about 1 ms for 10,000 items, as each task's objects come from a new
 * context, and flowrun would wait for it). When an element cannot be cut, the rest are read and the
 * copy's text is the array's text (same indices); flowrun drops the parts already sent, as `done`
 * does not say `streamed`. When JSON.stringify fails on a part or on the copy, the array itself is
 * stringified instead, so the error (its message, a cycle's path) is the one stringifying the
 * array gives. Either way the elements of the parts already sent are stringified again, as when a
 * later part fails.
 */
function sendInParts(taskId, result) {
  const count = result.length;
  if (count < PARTS_FROM || isProxy(result) || 'toJSON' in result) return JSON.stringify(result);
  const copy = new Array(count);
  const head = `{"type":"items","task":${JSON.stringify(taskId)},"items":`;
  let size = FIRST_PART;
  for (let start = 0; start < count;) {
    // The last parts halve in size, down to LAST_PART items: flowrun reads each part while the
    // runner makes the next, so what it still has to read once the runner is done is about one
    // small part.
    const remaining = count - start;
    let take = start > 0 && remaining <= 2 * size ? Math.max(LAST_PART, Math.ceil(remaining / 2)) : size;
    if (remaining - take < LAST_PART) take = remaining;
    const end = start + take;
    if (!readCuttable(result, copy, start, end)) {
      for (let i = end; i < count; i++) copy[i] = result[i];
      try {
        return JSON.stringify(copy);
      } catch {
        return JSON.stringify(result);
      }
    }
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

/** Reads `result[start..<end]` into `copy`; false when one of them is a proxy or has `toJSON`. */
function readCuttable(result, copy, start, end) {
  let cuttable = true;
  for (let i = start; i < end; i++) {
    const item = copy[i] = result[i];
    if (cuttable && typeof item === 'object' && item !== null && (isProxy(item) || 'toJSON' in item)) cuttable = false;
  }
  return cuttable;
}

module.exports = { sendInParts };
