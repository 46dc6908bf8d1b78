'use strict';
// Baseline for the Code node benchmark: the same function over the same items in plain Node.js,
// without flowrun (no process boundary, no JSON round trip). Prints elapsed milliseconds.
const count = Number(process.argv[2] || 10000);
const items = Array.from({ length: count }, (_, i) => ({ json: { id: i, name: `item ${i}`, price: i * 1.5, tags: ['a', 'b'] } }));
const code = process.argv[3] || 'return $input.all().map(item => ({ json: { ...item.json, total: item.json.price * 2 } }));';
const fn = new Function('$input', code);
const $input = { all: () => items };
const runs = 5;
fn($input);
const start = process.hrtime.bigint();
for (let i = 0; i < runs; i++) fn($input);
const elapsed = Number(process.hrtime.bigint() - start) / 1e6 / runs;
process.stdout.write(JSON.stringify({ count, milliseconds: elapsed }) + '\n');
