'use strict';
// Luxon-compatible Duration and the calendar helpers DateTime builds on (see luxon-lite.js).

const UNITS = ['years', 'quarters', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds', 'milliseconds'];
const UNIT_MS = { weeks: 604800000, days: 86400000, hours: 3600000, minutes: 60000, seconds: 1000, milliseconds: 1 };
const CASUAL_MS = { years: 365 * 86400000, quarters: 91 * 86400000, months: 30 * 86400000, ...UNIT_MS };
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function normalizeUnit(unit) {
  const u = String(unit).toLowerCase();
  const map = { year: 'years', quarter: 'quarters', month: 'months', week: 'weeks', day: 'days', hour: 'hours', minute: 'minutes', second: 'seconds', millisecond: 'milliseconds' };
  if (map[u]) return map[u];
  if (UNITS.includes(u)) return u;
  throw new Error(`Invalid unit ${unit}`);
}

const formatters = new Map();
function zoneFormatter(zone) {
  if (!formatters.has(zone)) {
    formatters.set(zone, new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short',
    }));
  }
  return formatters.get(zone);
}

function parseFixedZone(name) {
  if (name === 'UTC' || name === 'utc' || name === 'Z' || name === 'GMT') return 0;
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(name);
  if (!m) return null;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] || 0));
}

function isValidZone(name) {
  if (parseFixedZone(name) !== null) return true;
  try { zoneFormatter(name); return true; } catch { return false; }
}

/** Offset of `zone` from UTC in minutes at instant `ts`. */
function offsetAt(zone, ts) {
  const fixed = parseFixedZone(zone);
  if (fixed !== null) return fixed;
  const parts = {};
  for (const p of zoneFormatter(zone).formatToParts(new Date(ts))) parts[p.type] = p.value;
  let year = Number(parts.year);
  if (parts.era === 'BC') year = 1 - year;
  const asUTC = Date.UTC(year, Number(parts.month) - 1, Number(parts.day), Number(parts.hour) % 24, Number(parts.minute), Number(parts.second), 0);
  const withoutMs = ts - (((ts % 1000) + 1000) % 1000);
  return Math.round((asUTC - withoutMs) / 60000);
}

function civilToUTC(c) {
  const d = new Date(Date.UTC(2000, c.month - 1, c.day, c.hour, c.minute, c.second, c.millisecond));
  d.setUTCFullYear(c.year);
  return d.getTime();
}

function tsFromCivil(c, zone) {
  const local = civilToUTC(c);
  let offset = offsetAt(zone, local);
  let ts = local - offset * 60000;
  const offset2 = offsetAt(zone, ts);
  if (offset2 !== offset) ts = local - offset2 * 60000;
  return ts;
}

function civilFromTS(ts, offset) {
  const d = new Date(ts + offset * 60000);
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(),
    minute: d.getUTCMinutes(), second: d.getUTCSeconds(), millisecond: d.getUTCMilliseconds(),
  };
}

function daysInMonth(year, month) {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isLeap(year) { return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0; }

function pad(n, width = 2) {
  const s = String(Math.abs(Math.trunc(n))).padStart(width, '0');
  return n < 0 ? `-${s}` : s;
}

function formatOffset(minutes, style) {
  const sign = minutes < 0 ? '-' : '+';
  const h = Math.floor(Math.abs(minutes) / 60);
  const m = Math.abs(minutes) % 60;
  if (style === 'narrow') return m ? `${sign}${h}:${pad(m)}` : `${sign}${h}`;
  if (style === 'techie') return `${sign}${pad(h)}${pad(m)}`;
  return `${sign}${pad(h)}:${pad(m)}`;
}

let defaultZone = 'America/New_York';

class Duration {
  constructor(values, invalid) {
    this.values = values;
    this.invalidReason = invalid || null;
  }

  static fromObject(obj) {
    const values = {};
    for (const [key, value] of Object.entries(obj || {})) values[normalizeUnit(key)] = Number(value);
    return new Duration(values);
  }

  static fromMillis(ms) { return new Duration({ milliseconds: Number(ms) }); }

  static fromISO(text) {
    const m = /^P(?:(-?\d+(?:\.\d+)?)Y)?(?:(-?\d+(?:\.\d+)?)M)?(?:(-?\d+(?:\.\d+)?)W)?(?:(-?\d+(?:\.\d+)?)D)?(?:T(?:(-?\d+(?:\.\d+)?)H)?(?:(-?\d+(?:\.\d+)?)M)?(?:(-?\d+(?:\.\d+)?)S)?)?$/.exec(String(text));
    if (!m) return new Duration({}, 'unparsable');
    const keys = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'];
    const values = {};
    keys.forEach((key, i) => { if (m[i + 1] !== undefined) values[key] = Number(m[i + 1]); });
    return new Duration(values);
  }

  static isDuration(value) { return value instanceof Duration; }

  static coerce(value) {
    if (value instanceof Duration) return value;
    if (typeof value === 'number') return Duration.fromMillis(value);
    return Duration.fromObject(value);
  }

  get isValid() { return this.invalidReason === null; }
  get years() { return this.values.years || 0; }
  get quarters() { return this.values.quarters || 0; }
  get months() { return this.values.months || 0; }
  get weeks() { return this.values.weeks || 0; }
  get days() { return this.values.days || 0; }
  get hours() { return this.values.hours || 0; }
  get minutes() { return this.values.minutes || 0; }
  get seconds() { return this.values.seconds || 0; }
  get milliseconds() { return this.values.milliseconds || 0; }

  get(unit) { return this.values[normalizeUnit(unit)] || 0; }
  toObject() { return { ...this.values }; }
  toMillis() {
    return Object.entries(this.values).reduce((sum, [unit, value]) => sum + value * CASUAL_MS[unit], 0);
  }
  valueOf() { return this.toMillis(); }
  as(unit) { return this.toMillis() / CASUAL_MS[normalizeUnit(unit)]; }
  plus(other) {
    const add = Duration.coerce(other).values;
    const values = { ...this.values };
    for (const [k, v] of Object.entries(add)) values[k] = (values[k] || 0) + v;
    return new Duration(values);
  }
  minus(other) { return this.plus(Duration.coerce(other).negate()); }
  negate() {
    const values = {};
    for (const [k, v] of Object.entries(this.values)) values[k] = v === 0 ? 0 : -v;
    return new Duration(values);
  }
  shiftTo(...units) {
    const wanted = UNITS.filter((u) => units.map(normalizeUnit).includes(u));
    let remaining = this.toMillis();
    const values = {};
    wanted.forEach((unit, i) => {
      if (i === wanted.length - 1) values[unit] = remaining / CASUAL_MS[unit];
      else {
        values[unit] = Math.trunc(remaining / CASUAL_MS[unit]);
        remaining -= values[unit] * CASUAL_MS[unit];
      }
    });
    return new Duration(values);
  }
  rescale() { return this.shiftTo(...UNITS.filter((u) => u !== 'quarters' && u !== 'weeks')).removeZeros(); }
  removeZeros() {
    const values = {};
    for (const [k, v] of Object.entries(this.values)) if (v !== 0) values[k] = v;
    return new Duration(values);
  }
  normalize() { return this; }
  toISO() {
    const v = this.values;
    let date = '';
    if (v.years) date += `${v.years}Y`;
    if (v.quarters) date += `${v.quarters * 3}M`;
    if (v.months) date += `${v.months}M`;
    if (v.weeks) date += `${v.weeks}W`;
    if (v.days) date += `${v.days}D`;
    let time = '';
    if (v.hours) time += `${v.hours}H`;
    if (v.minutes) time += `${v.minutes}M`;
    if (v.seconds || v.milliseconds) time += `${Math.round(((v.seconds || 0) + (v.milliseconds || 0) / 1000) * 1000) / 1000}S`;
    if (!date && !time) return 'PT0S';
    return `P${date}${time ? `T${time}` : ''}`;
  }
  toJSON() { return this.toISO(); }
  toString() { return this.toISO(); }
  toHuman() {
    return UNITS.filter((u) => this.values[u]).map((u) => {
      const n = this.values[u];
      const word = Math.abs(n) === 1 ? u.slice(0, -1) : u;
      return `${n} ${word}`;
    }).join(', ');
  }
}

module.exports = { Duration, UNITS, UNIT_MS, MONTHS, WEEKDAYS, normalizeUnit, offsetAt, tsFromCivil, civilFromTS, daysInMonth, isLeap, pad, formatOffset, parseFixedZone, isValidZone, getDefaultZone: () => defaultZone, setDefaultZone: (z) => { defaultZone = z; } };
