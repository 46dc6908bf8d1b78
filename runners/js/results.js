'use strict';
const { setOwn } = require('./errors.js');
// n8n's rules for what Code, Function and Function Item code may return, with n8n's messages.
// Two stages as in n8n: the task runner's own handling of the raw value, then (after the value
// crossed the wire as JSON) the Code node's validation (nodes-base result-validation.ts).

const ITEM_KEYS = new Set(['json', 'binary', 'pairedItem', 'error', 'metadata', 'index']);

class ValidationError extends Error {
  constructor({ message, description, itemIndex, lineNumber }) {
    super();
    setOwn(this, 'name', 'ValidationError');
    let text = message;
    if (lineNumber !== undefined && itemIndex !== undefined) text = `${message} [line ${lineNumber}, for item ${itemIndex}]`;
    else if (lineNumber !== undefined) text = `${message} [line ${lineNumber}]`;
    else if (itemIndex !== undefined) text = `${message} [item ${itemIndex}]`;
    setOwn(this, 'message', text);
    this.description = description;
    if (itemIndex !== undefined) this.itemIndex = itemIndex;
  }
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** lodash isObject: objects, arrays and functions. */
function isLodashObject(value) {
  const type = typeof value;
  return value != null && (type === 'object' || type === 'function');
}

function textKey(keys, options = {}) {
  const word = options.plural ? keys.plural : keys.singular;
  if (!options.article) return word;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

const JS_KEYS = { singular: 'object', plural: 'objects' };
const PYTHON_KEYS = { singular: 'dictionary', plural: 'dictionaries' };

/** n8n-core normalizeItems. */
function normalizeItems(data) {
  if (typeof data === 'object' && !Array.isArray(data)) {
    data = data.json ? [data] : [{ json: data }];
  }
  if (data.every((item) => typeof item === 'object' && 'json' in item)) return data;
  if (data.some((item) => typeof item === 'object' && 'json' in item)) {
    throw new Error('Inconsistent item format');
  }
  if (data.every((item) => typeof item === 'object' && 'binary' in item)) {
    return data.map((item) => {
      const json = {};
      for (const key of Object.keys(item)) if (key !== 'binary') json[key] = item[key];
      return { json, binary: item.binary };
    });
  }
  if (data.some((item) => typeof item === 'object' && 'binary' in item)) {
    throw new Error('Inconsistent item format');
  }
  return data.map((item) => ({ json: item }));
}

function validateTopLevelKeys(item, itemIndex) {
  let reserved = null;
  const unknown = [];
  for (const key of Object.keys(item)) {
    if (ITEM_KEYS.has(key)) reserved = reserved ?? key;
    else unknown.push(key);
  }
  if (unknown.length === 0) return;
  if (reserved) {
    throw new ValidationError({
      message: 'Invalid output format',
      description: `An output item contains the reserved key <code>${reserved}</code>. To get around this, please wrap each item in an object, under a key called <code>json</code>. <a href="https://docs.n8n.io/data/data-structure/#data-structure" target="_blank">Example</a>`,
      itemIndex,
    });
  }
  throw new ValidationError({
    message: `Unknown top-level item key: ${unknown[0]}`,
    description: 'Access the properties of an item under `.json`, e.g. `item.json`',
    itemIndex,
  });
}

function validateItem(item, itemIndex, keys) {
  if (item.json === undefined || !isObject(item.json)) {
    throw new ValidationError({
      message: `A 'json' property isn't ${textKey(keys, { article: true })}`,
      description: `In the returned data, every key named 'json' must point to ${textKey(keys, { article: true })}.`,
      itemIndex,
    });
  }
  if (item.binary !== undefined && !isObject(item.binary)) {
    throw new ValidationError({
      message: `A 'binary' property isn't ${textKey(keys, { article: true })}`,
      description: `In the returned data, every key named 'binary' must point to ${textKey(keys, { article: true })}.`,
      itemIndex,
    });
  }
}

/** Code node, all items: validateRunCodeAllItems. */
function validateAllItems(result, keys = JS_KEYS) {
  const notItems = () => new ValidationError({
    message: "Code doesn't return items properly",
    description: `Please return an array of ${textKey(keys, { plural: true })}, one for each item you would like to output.`,
  });
  if (typeof result !== 'object') throw notItems();
  if (Array.isArray(result)) {
    for (const item of result) if (!isObject(item)) throw notItems();
    if (result.some((item) => Object.keys(item).some((key) => ITEM_KEYS.has(key)))) {
      result.forEach((item, index) => validateTopLevelKeys(item, index));
    }
  }
  const items = normalizeItems(result);
  items.forEach((item, index) => validateItem(item, index, keys));
  return items;
}

/** Code node, one item: validateRunCodeEachItem. */
function validateEachItem(result, itemIndex, keys = JS_KEYS) {
  if (typeof result !== 'object') {
    throw new ValidationError({
      message: `Code doesn't return ${textKey(keys, { article: true })}`,
      description: `Please return ${textKey(keys, { article: true })} representing the output item. ('${result}' was returned instead.)`,
      itemIndex,
    });
  }
  if (Array.isArray(result)) {
    const first = result.length > 0 ? `An array of ${typeof result[0]}s was returned.` : 'An empty array was returned.';
    throw new ValidationError({
      message: `Code doesn't return a single ${keys.singular}`,
      description: `${first} If you need to output multiple items, please use the 'Run Once for All Items' mode instead.`,
      itemIndex,
    });
  }
  const [item] = normalizeItems([result]);
  validateItem(item, itemIndex, keys);
  validateTopLevelKeys(item, itemIndex);
  return item;
}

/** The JS task runner's per-item wrapping (before validation): null/undefined drop the item. */
function wrapEachItemResult(result, index) {
  if (result === null || !result) return null;
  const json = isLodashObject(result) && 'json' in result ? result.json : result;
  return result.binary ? { json, pairedItem: { item: index }, binary: result.binary } : { json, pairedItem: { item: index } };
}

/** Validated items with the JSON text they were parsed from (sent as it is). */
class ItemsText {
  /** `unvalidated`: an all-items array flowrun validates after it crossed the wire. */
  constructor(items, text, unvalidated = false) {
    this.items = items;
    this.text = text;
    this.unvalidated = unvalidated;
    this.streamed = false;
  }

  /** An all-items array already sent in `items` messages (answer-parts.js). */
  static streamed() {
    const answer = new ItemsText(undefined, undefined, true);
    answer.streamed = true;
    return answer;
  }
}

const { isProxy } = require('node:util').types;

/** Prototypes already found plain (per result check; most items share one). */
let plainProtos = new Set();

/** An object JSON text keeps as it is at its own level: a plain (or null-prototype) object with no
 * `toJSON` and no inherited `json`/`binary`, not a proxy. */
function isPlainData(value) {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isProxy(value)) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto === null || plainProtos.has(proto)) return true;
  // Object.prototype of this realm or of a task's vm context (whose own prototype is null).
  if (Object.getPrototypeOf(proto) !== null) return false;
  if ('toJSON' in proto || 'json' in proto || 'binary' in proto) return false;
  plainProtos.add(proto);
  return true;
}

/**
 * Whether validating `result` itself gives what validating `JSON.parse(JSON.stringify(result))`
 * gives: an array of plain objects whose own keys are data properties JSON keeps (no undefined,
 * function or symbol values), whose `json` and `binary` (when present) are plain objects too.
 * Validation only looks at these two levels; deeper values only matter as the text, which is
 * sent as it is. Anything else goes through the JSON round trip.
 */
function survivesJSONUnchanged(result) {
  plainProtos = new Set();
  if (!Array.isArray(result) || isProxy(result) || 'toJSON' in result) return false;
  for (let index = 0; index < result.length; index++) {
    const item = result[index];
    if (!isPlainData(item) || 'toJSON' in item) return false;
    const keys = Object.keys(item);
    let seen = 0;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      const descriptor = Object.getOwnPropertyDescriptor(item, key);
      if (!('value' in descriptor)) return false;
      const value = descriptor.value;
      const type = typeof value;
      if (value === undefined || type === 'function' || type === 'symbol') return false;
      if (key === 'json' || key === 'binary') {
        seen++;
        if (type === 'object' && value !== null
          && ((Array.isArray(value) ? isProxy(value) : !isPlainData(value)) || 'toJSON' in value)) return false;
      }
    }
    // A hidden (non-enumerable) json/binary is seen by `in` and by validation, but not by JSON.
    if (seen < 2 && ((!keys.includes('json') && Object.hasOwn(item, 'json'))
      || (!keys.includes('binary') && Object.hasOwn(item, 'binary')))) return false;
  }
  return true;
}

/** What crosses the wire: JSON semantics (Dates become strings, undefined keys vanish). */
function throughJSON(value) {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

/** Legacy Function node (v1): its own checks and messages. */
function validateFunctionItems(result) {
  let items = result;
  if (items !== undefined && items !== null && typeof items === 'object') items = normalizeItems(items);
  if (items === undefined) throw new Error('No data got returned. Always return an Array of items!');
  if (!Array.isArray(items)) throw new Error('Always an Array of items has to be returned!');
  for (const item of items) {
    if (item.json === undefined) throw new Error('All returned items have to contain a property named "json"!');
    if (typeof item.json !== 'object') throw new Error('The json-property has to be an object!');
    if (item.binary !== undefined && (Array.isArray(item.binary) || typeof item.binary !== 'object')) {
      throw new Error('The binary-property has to be an object!');
    }
  }
  return items;
}

/** Legacy Function Item node (v1). */
function validateFunctionItem(result) {
  if (result === undefined) throw new Error('No data got returned. Always an object has to be returned!');
  return result;
}

module.exports = {
  ValidationError, JS_KEYS, PYTHON_KEYS, isObject, normalizeItems, validateAllItems, validateEachItem,
  wrapEachItemResult, throughJSON, survivesJSONUnchanged, validateFunctionItems, validateFunctionItem, ItemsText,
};
