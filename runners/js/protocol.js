'use strict';
// Line-delimited JSON over stdin/stdout, read and written synchronously.
// Synchronous reads let user code call back into flowrun (`$('Node').all()`) without awaiting:
// the runner runs one task at a time, so while a task waits for an answer nothing else can arrive.
const fs = require('node:fs');
const { StringDecoder } = require('node:string_decoder');

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
const readBuffer = Buffer.allocUnsafe(1 << 20);
const decoder = new StringDecoder('utf8');
let pieces = [];

function pause() {
  Atomics.wait(sleepCell, 0, 0, 2);
}

/** Reads one line from stdin, or null at end of input. */
function readLine() {
  for (;;) {
    if (pieces.length > 0) {
      const last = pieces[pieces.length - 1];
      const nl = last.indexOf('\n');
      if (nl >= 0) {
        const line = pieces.slice(0, -1).join('') + last.slice(0, nl);
        const rest = last.slice(nl + 1);
        pieces = rest.length > 0 ? [rest] : [];
        return line;
      }
    }
    let count;
    try {
      count = fs.readSync(0, readBuffer, 0, readBuffer.length, null);
    } catch (error) {
      if (error.code === 'EAGAIN') { pause(); continue; }
      if (error.code === 'EOF') return null;
      throw error;
    }
    if (count === 0) return null;
    // Only the newest piece can hold a newline: older ones were searched already.
    pieces.push(decoder.write(readBuffer.subarray(0, count)));
  }
}

/** Writes one message as a line on stdout. */
function send(message) {
  sendLine(JSON.stringify(message));
}

/** Writes one line of JSON text (without its newline), given as one or more pieces, on stdout. */
function sendLine(...pieces) {
  // Each piece encoded straight into one buffer: a big answer is not first joined into a new
  // string (a copy of the whole text) and then encoded.
  let length = 1;
  for (const piece of pieces) length += Buffer.byteLength(piece, 'utf8');
  const bytes = Buffer.allocUnsafe(length);
  let at = 0;
  for (const piece of pieces) at += bytes.write(piece, at, 'utf8');
  bytes[at] = 0x0a;
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += fs.writeSync(1, bytes, offset, bytes.length - offset);
    } catch (error) {
      if (error.code === 'EAGAIN') { pause(); continue; }
      throw error;
    }
  }
}

let nextCallId = 1;

/** Calls flowrun and waits for its answer; throws an Error with flowrun's message on failure. */
function call(taskId, method, params) {
  const id = nextCallId++;
  send({ type: 'call', id, task: taskId, method, params });
  for (;;) {
    const line = readLine();
    if (line === null) process.exit(0);
    if (line.trim() === '') continue;
    const message = JSON.parse(line);
    if (message.type === 'reply' && message.id === id) {
      if (message.ok) return message.result;
      const error = new Error(message.error && message.error.message ? message.error.message : 'Call failed');
      if (message.error && message.error.description) error.description = message.error.description;
      throw error;
    }
    if (message.type === 'shutdown') process.exit(0);
  }
}

module.exports = { readLine, send, sendLine, call };
