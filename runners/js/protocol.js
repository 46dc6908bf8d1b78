'use strict';
// Line-delimited JSON over stdin/stdout, read and written synchronously.
// Synchronous reads let user code call back into flowrun (`$('Node').all()`) without awaiting:
// the runner runs one task at a time, so while a task waits for an answer nothing else can arrive.
const fs = require('node:fs');

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

function pause() {
  Atomics.wait(sleepCell, 0, 0, 2);
}

// Input: bytes are read straight into one buffer that is kept between messages (no copy per
// chunk, no page faults for a fresh buffer per task); a line is decoded once, from its bytes, when
// its newline arrives. A buffer grown for a big message is dropped after it.
const INPUT_SIZE = 1 << 20;
const KEEP_LIMIT = 16 << 20;
let input = Buffer.allocUnsafe(INPUT_SIZE);
let start = 0;   // first byte of the line being read
let filled = 0;  // end of the bytes read
let scanned = 0; // bytes before this were searched for a newline already

/** Reads one line from stdin, or null at end of input. */
function readLine() {
  for (;;) {
    if (scanned < filled) {
      const found = input.subarray(scanned, filled).indexOf(0x0a);
      if (found >= 0) {
        const end = scanned + found;
        const line = input.toString('utf8', start, end);
        start = end + 1;
        scanned = start;
        if (start === filled) {
          start = filled = scanned = 0;
          if (input.length > KEEP_LIMIT) input = Buffer.allocUnsafe(INPUT_SIZE);
        }
        return line;
      }
      scanned = filled;
    }
    if (filled === input.length) {
      const used = filled - start;
      const target = used * 2 > input.length ? Buffer.allocUnsafe(input.length * 2) : input;
      input.copy(target, 0, start, filled);
      input = target;
      start = 0;
      filled = scanned = used;
    }
    let count;
    try {
      count = fs.readSync(0, input, filled, input.length - filled, null);
    } catch (error) {
      if (error.code === 'EAGAIN') { pause(); continue; }
      if (error.code === 'EOF') return null;
      throw error;
    }
    if (count === 0) return null;
    filled += count;
  }
}

/** Writes one message as a line on stdout. */
function send(message) {
  sendLine(JSON.stringify(message));
}

// Output: one buffer kept between answers, sized for the worst case (3 UTF-8 bytes per UTF-16
// unit), so a piece is encoded once, without measuring it first.
let output = Buffer.allocUnsafe(INPUT_SIZE);

/** Writes one line of JSON text (without its newline), given as one or more pieces, on stdout. */
function sendLine(...pieces) {
  // Each piece encoded straight into one buffer: a big answer is not first joined into a new
  // string (a copy of the whole text) and then encoded.
  let units = 1;
  for (const piece of pieces) units += piece.length;
  if (output.length < units * 3) output = Buffer.allocUnsafe(Math.max(units * 3, INPUT_SIZE));
  const bytes = output;
  let at = 0;
  for (const piece of pieces) at += bytes.write(piece, at, 'utf8');
  bytes[at++] = 0x0a;
  let offset = 0;
  while (offset < at) {
    try {
      offset += fs.writeSync(1, bytes, offset, at - offset);
    } catch (error) {
      if (error.code === 'EAGAIN') { pause(); continue; }
      throw error;
    }
  }
  if (output.length > KEEP_LIMIT) output = Buffer.allocUnsafe(INPUT_SIZE);
}

let nextCallId = 1;

/** Calls flowrun and waits for its answer; throws an Error with flowrun's message on failure. */
function call(taskId, method, params) {
  const id = nextCallId++;
  send({ type: 'call', id, task: taskId, method, params });
  for (;;) {
    const line = readLine();
    if (line === null) process.exit(0);
    if (line.length === 0 || (line.length < 64 && line.trim() === '')) continue;
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
