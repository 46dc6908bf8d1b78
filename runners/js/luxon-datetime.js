'use strict';
// Luxon-compatible DateTime and Interval over epoch milliseconds plus an IANA or fixed zone.
const core = require('./luxon-core.js');
const { Duration, UNITS, MONTHS, WEEKDAYS, normalizeUnit, offsetAt, tsFromCivil, civilFromTS, daysInMonth, isLeap, pad, formatOffset, isValidZone } = core;

const Settings = {
  get defaultZone() { return { name: core.getDefaultZone() }; },
  set defaultZone(zone) { core.setDefaultZone(typeof zone === 'string' ? zone : zone.name); },
  now: () => Date.now(),
};

function zoneName(zone) {
  if (zone === undefined || zone === null || zone === 'default') return core.getDefaultZone();
  if (typeof zone === 'object' && zone.name) return zone.name;
  if (zone === 'local' || zone === 'system') return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  if (String(zone).toLowerCase() === 'utc') return 'UTC';
  return String(zone);
}

class DateTime {
  constructor(ts, zone, invalidReason) {
    this.ts = ts;
    this.zoneName = zone;
    this.invalidReason = invalidReason || null;
    if (!invalidReason) {
      this.o = offsetAt(zone, ts);
      this.c = civilFromTS(ts, this.o);
    }
  }

  static invalid(reason) { return new DateTime(NaN, 'UTC', reason || 'invalid'); }
  static make(ts, zone) {
    const name = zoneName(zone);
    if (!isValidZone(name)) return DateTime.invalid('unsupported zone');
    if (!Number.isFinite(ts)) return DateTime.invalid('invalid input');
    return new DateTime(ts, name);
  }
  static now() { return DateTime.make(Settings.now()); }
  static fromMillis(ms, opts = {}) { return DateTime.make(Number(ms), opts.zone); }
  static fromSeconds(s, opts = {}) { return DateTime.make(Number(s) * 1000, opts.zone); }
  static fromJSDate(date, opts = {}) { return DateTime.make(date.valueOf(), opts.zone); }
  static isDateTime(value) { return value instanceof DateTime; }
  static fromObject(obj = {}, opts = {}) {
    const zone = zoneName(opts.zone);
    const now = DateTime.make(Settings.now(), zone);
    const c = { year: now.year, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 };
    const given = Object.keys(obj);
    if (given.length && !given.includes('year')) Object.assign(c, { year: now.year });
    for (const [key, value] of Object.entries(obj)) c[key.replace(/s$/, '')] = Number(value);
    if (!isValidZone(zone)) return DateTime.invalid('unsupported zone');
    return new DateTime(tsFromCivil(c, zone), zone);
  }
  static local(...args) { return DateTime.fromParts(args, core.getDefaultZone()); }
  static utc(...args) { return DateTime.fromParts(args, 'UTC'); }
  static fromParts(args, zone) {
    if (args.length === 0) return DateTime.make(Settings.now(), zone);
    const [year, month = 1, day = 1, hour = 0, minute = 0, second = 0, millisecond = 0] = args;
    return new DateTime(tsFromCivil({ year, month, day, hour, minute, second, millisecond }, zone), zone);
  }

  static fromISO(text, opts = {}) {
    const m = /^([+-]?\d{4,6})(?:-?(\d{2})(?:-?(\d{2}))?)?(?:[T ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(String(text).trim());
    if (!m) return DateTime.invalid('unparsable');
    return DateTime.fromMatch(m, opts);
  }
  static fromSQL(text, opts = {}) {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(String(text).trim());
    if (!m) return DateTime.invalid('unparsable');
    return DateTime.fromMatch(m, opts);
  }
  static fromMatch(m, opts) {
    const c = {
      year: Number(m[1]), month: Number(m[2] || 1), day: Number(m[3] || 1), hour: Number(m[4] || 0),
      minute: Number(m[5] || 0), second: Number(m[6] || 0), millisecond: m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0,
    };
    if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > daysInMonth(c.year, c.month) || c.hour > 24 || c.minute > 59 || c.second > 59) {
      return DateTime.invalid('unit out of range');
    }
    const target = zoneName(opts.zone);
    if (m[8]) {
      const offset = core.parseFixedZone(m[8].toUpperCase() === 'Z' ? 'UTC' : m[8]);
      const ts = core.tsFromCivil(c, 'UTC') - offset * 60000;
      return DateTime.make(ts, opts.setZone ? (offset === 0 ? 'UTC' : `UTC${formatOffset(offset, 'narrow')}`) : target);
    }
    if (!isValidZone(target)) return DateTime.invalid('unsupported zone');
    return new DateTime(tsFromCivil(c, target), target);
  }
  static fromRFC2822(text, opts = {}) {
    const d = Date.parse(text);
    return Number.isNaN(d) ? DateTime.invalid('unparsable') : DateTime.make(d, opts.zone);
  }
  static fromHTTP(text, opts = {}) { return DateTime.fromRFC2822(text, opts); }

  /** Parses with a Luxon token format (numeric tokens, month names, literals). */
  static fromFormat(text, format, opts = {}) {
    const tokens = tokenize(format);
    const fields = {};
    let pattern = '^';
    for (const token of tokens) {
      if (token.literal) { pattern += escapeRegex(token.value); continue; }
      const spec = PARSE_TOKENS[token.value];
      if (!spec) { pattern += escapeRegex(token.value); continue; }
      pattern += `(${spec.re})`;
      fields[Object.keys(fields).length] = spec;
    }
    const m = new RegExp(`${pattern}$`, 'i').exec(String(text));
    if (!m) return DateTime.invalid('unparsable');
    const c = { year: DateTime.make(Settings.now(), opts.zone).year, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 };
    let pm = null;
    let offset = null;
    Object.values(fields).forEach((spec, i) => {
      const value = m[i + 1];
      const r = spec.set(c, value);
      if (r && r.pm !== undefined) pm = r.pm;
      if (r && r.offset !== undefined) offset = r.offset;
      if (r && r.ts !== undefined) c.ts = r.ts;
    });
    if (c.ts !== undefined) return DateTime.make(c.ts, opts.zone);
    if (pm !== null) c.hour = (c.hour % 12) + (pm ? 12 : 0);
    const target = zoneName(opts.zone);
    if (offset !== null) return DateTime.make(tsFromCivil(c, 'UTC') - offset * 60000, opts.setZone ? `UTC${formatOffset(offset, 'narrow')}` : target);
    return new DateTime(tsFromCivil(c, target), target);
  }

  get isValid() { return this.invalidReason === null; }
  get zone() { return { name: this.zoneName, type: 'iana', isValid: true }; }
  get year() { return this.isValid ? this.c.year : NaN; }
  get month() { return this.isValid ? this.c.month : NaN; }
  get day() { return this.isValid ? this.c.day : NaN; }
  get hour() { return this.isValid ? this.c.hour : NaN; }
  get minute() { return this.isValid ? this.c.minute : NaN; }
  get second() { return this.isValid ? this.c.second : NaN; }
  get millisecond() { return this.isValid ? this.c.millisecond : NaN; }
  get offset() { return this.isValid ? this.o : NaN; }
  get weekday() { const d = new Date(Date.UTC(this.year, this.month - 1, this.day)).getUTCDay(); return d === 0 ? 7 : d; }
  get ordinal() { return Math.round((Date.UTC(this.year, this.month - 1, this.day) - Date.UTC(this.year, 0, 1)) / 86400000) + 1; }
  get quarter() { return Math.ceil(this.month / 3); }
  get daysInMonth() { return daysInMonth(this.year, this.month); }
  get daysInYear() { return isLeap(this.year) ? 366 : 365; }
  get isInLeapYear() { return isLeap(this.year); }
  get monthLong() { return MONTHS[this.month - 1]; }
  get monthShort() { return MONTHS[this.month - 1].slice(0, 3); }
  get weekdayLong() { return WEEKDAYS[this.weekday - 1]; }
  get weekdayShort() { return WEEKDAYS[this.weekday - 1].slice(0, 3); }
  get weekNumber() { return isoWeek(this).week; }
  get weekYear() { return isoWeek(this).year; }
  get isOffsetFixed() { return core.parseFixedZone(this.zoneName) !== null; }
  get offsetNameShort() { return this.zoneName === 'UTC' ? 'UTC' : `GMT${formatOffset(this.o, 'narrow')}`; }
  get locale() { return 'en-US'; }
  get(unit) { return this[unit]; }

  valueOf() { return this.ts; }
  toMillis() { return this.ts; }
  toSeconds() { return this.ts / 1000; }
  toUnixInteger() { return Math.floor(this.ts / 1000); }
  toJSDate() { return new Date(this.ts); }
  toObject() { return this.isValid ? { ...this.c } : {}; }
  toJSON() { return this.toISO(); }
  toString() { return this.isValid ? this.toISO() : 'Invalid DateTime'; }
  [Symbol.for('nodejs.util.inspect.custom')]() { return `DateTime { ts: ${this.toISO()}, zone: ${this.zoneName} }`; }

  toISODate() { return this.isValid ? `${isoYear(this.year)}-${pad(this.month)}-${pad(this.day)}` : null; }
  toISOTime(opts = {}) {
    if (!this.isValid) return null;
    let s = `${pad(this.hour)}:${pad(this.minute)}`;
    if (!(opts.suppressSeconds && this.second === 0 && this.millisecond === 0)) {
      s += `:${pad(this.second)}`;
      if (!(opts.suppressMilliseconds && this.millisecond === 0)) s += `.${pad(this.millisecond, 3)}`;
    }
    if (opts.includeOffset !== false) s += this.zoneName === 'UTC' || (this.o === 0 && this.isOffsetFixed) ? 'Z' : formatOffset(this.o);
    return s;
  }
  toISO(opts = {}) { return this.isValid ? `${this.toISODate()}T${this.toISOTime(opts)}` : null; }
  toSQLDate() { return this.toISODate(); }
  toSQLTime() { return this.isValid ? `${pad(this.hour)}:${pad(this.minute)}:${pad(this.second)}.${pad(this.millisecond, 3)}` : null; }
  toSQL() { return this.isValid ? `${this.toSQLDate()} ${this.toSQLTime()} ${this.zoneName === 'UTC' ? 'Z' : formatOffset(this.o)}` : null; }
  toRFC2822() { return this.toFormat("EEE, dd MMM yyyy HH:mm:ss ZZZ"); }
  toHTTP() { return this.toUTC().toFormat("EEE, dd MMM yyyy HH:mm:ss 'GMT'"); }
  toFormat(format) {
    if (!this.isValid) return 'Invalid DateTime';
    return tokenize(format).map((t) => (t.literal ? t.value : formatToken(this, t.value))).join('');
  }
  toLocaleString(preset) {
    if (!this.isValid) return 'Invalid DateTime';
    const options = preset && typeof preset === 'object' ? { ...preset } : { year: 'numeric', month: 'numeric', day: 'numeric' };
    return new Intl.DateTimeFormat('en-US', { ...options, timeZone: this.isOffsetFixed ? 'UTC' : this.zoneName })
      .format(new Date(this.isOffsetFixed ? this.ts + this.o * 60000 : this.ts));
  }

  setZone(zone, opts = {}) {
    const name = zoneName(zone);
    if (!isValidZone(name)) return DateTime.invalid('unsupported zone');
    if (opts.keepLocalTime || opts.keepCalendarTime) return new DateTime(tsFromCivil(this.c, name), name);
    return new DateTime(this.ts, name);
  }
  toUTC() { return this.setZone('UTC'); }
  toLocal() { return this.setZone(core.getDefaultZone()); }
  reconfigure() { return this; }
  setLocale() { return this; }
  set(values) {
    if (!this.isValid) return this;
    const c = { ...this.c };
    for (const [key, value] of Object.entries(values)) {
      if (key === 'weekday') {
        const diff = Number(value) - this.weekday;
        return this.set(Object.fromEntries(Object.entries(values).filter(([k]) => k !== 'weekday'))).plus({ days: diff });
      }
      c[key.replace(/s$/, '')] = Number(value);
    }
    c.day = Math.min(c.day, daysInMonth(c.year, c.month));
    return new DateTime(tsFromCivil(c, this.zoneName), this.zoneName);
  }
  plus(duration) {
    if (!this.isValid) return this;
    const d = Duration.coerce(duration);
    const v = d.values;
    const c = { ...this.c };
    const months = (v.years || 0) * 12 + (v.quarters || 0) * 3 + (v.months || 0);
    const days = (v.weeks || 0) * 7 + (v.days || 0);
    let ts = this.ts;
    if (months || days) {
      const total = c.year * 12 + (c.month - 1) + Math.trunc(months);
      c.year = Math.floor(total / 12);
      c.month = total - c.year * 12 + 1;
      c.day = Math.min(c.day, daysInMonth(c.year, c.month));
      const shifted = new Date(Date.UTC(c.year, c.month - 1, c.day) + Math.trunc(days) * 86400000);
      c.year = shifted.getUTCFullYear(); c.month = shifted.getUTCMonth() + 1; c.day = shifted.getUTCDate();
      ts = tsFromCivil(c, this.zoneName);
    }
    ts += (v.hours || 0) * 3600000 + (v.minutes || 0) * 60000 + (v.seconds || 0) * 1000 + (v.milliseconds || 0);
    return new DateTime(ts, this.zoneName);
  }
  minus(duration) { return this.plus(Duration.coerce(duration).negate()); }
  startOf(unit) {
    if (!this.isValid) return this;
    const u = normalizeUnit(unit);
    const c = { ...this.c };
    const order = ['years', 'quarters', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'];
    if (u === 'weeks') {
      const back = this.weekday - 1;
      const start = this.set({ hour: 0, minute: 0, second: 0, millisecond: 0 }).minus({ days: back });
      return start;
    }
    const idx = order.indexOf(u);
    if (idx <= order.indexOf('years')) c.month = 1;
    if (u === 'quarters') c.month = (Math.ceil(c.month / 3) - 1) * 3 + 1;
    if (idx <= order.indexOf('months')) c.day = 1;
    if (idx <= order.indexOf('days')) c.hour = 0;
    if (idx <= order.indexOf('hours')) c.minute = 0;
    if (idx <= order.indexOf('minutes')) c.second = 0;
    if (idx <= order.indexOf('seconds')) c.millisecond = 0;
    return new DateTime(tsFromCivil(c, this.zoneName), this.zoneName);
  }
  endOf(unit) {
    if (!this.isValid) return this;
    return this.startOf(unit).plus({ [normalizeUnit(unit)]: 1 }).minus({ milliseconds: 1 });
  }
  hasSame(other, unit) {
    return this.isValid && other.isValid && this.startOf(unit).ts === other.setZone(this.zoneName).startOf(unit).ts;
  }
  equals(other) { return other instanceof DateTime && this.ts === other.ts && this.zoneName === other.zoneName; }
  until(other) { return Interval.fromDateTimes(this, other); }
  diffNow(unit, opts) { return this.diff(DateTime.now(), unit, opts); }
  diff(other, unit = 'milliseconds') {
    const units = (Array.isArray(unit) ? unit : [unit]).map(normalizeUnit);
    const ordered = UNITS.filter((u) => units.includes(u));
    const negative = this.ts < other.ts;
    const earlier = negative ? this : other;
    const later = (negative ? other : this).setZone(earlier.zoneName);
    const result = diffUnits(earlier, later, ordered);
    const values = {};
    for (const u of ordered) values[u] = negative ? -(result[u] || 0) : (result[u] || 0);
    for (const u of ordered) if (values[u] === 0) values[u] = 0;
    return new Duration(values);
  }
  static min(...dates) { return dates.reduce((a, b) => (b.ts < a.ts ? b : a)); }
  static max(...dates) { return dates.reduce((a, b) => (b.ts > a.ts ? b : a)); }
}

function diffUnits(earlier, later, units) {
  const result = {};
  let cursor = earlier;
  const calendar = ['years', 'quarters', 'months', 'weeks', 'days'].filter((u) => units.includes(u));
  let lowest = null;
  let highWater = cursor;
  for (const unit of calendar) {
    lowest = unit;
    let delta;
    if (unit === 'years') delta = later.year - cursor.year;
    else if (unit === 'quarters' || unit === 'months') {
      delta = (later.year - cursor.year) * 12 + later.month - cursor.month;
      if (unit === 'quarters') delta = Math.trunc(delta / 3);
    } else {
      const dayDiff = Math.floor((Date.UTC(later.year, later.month - 1, later.day) - Date.UTC(cursor.year, cursor.month - 1, cursor.day)) / 86400000);
      delta = unit === 'weeks' ? Math.trunc(dayDiff / 7) : dayDiff;
    }
    highWater = cursor.plus({ [unit]: delta });
    if (highWater.ts > later.ts) {
      delta -= 1;
      highWater = cursor.plus({ [unit]: delta });
    }
    cursor = highWater;
    result[unit] = delta;
  }
  const remaining = later.ts - cursor.ts;
  const timeUnits = ['hours', 'minutes', 'seconds', 'milliseconds'].filter((u) => units.includes(u));
  if (timeUnits.length === 0) {
    if (lowest) {
      let next = cursor.plus({ [lowest]: 1 });
      if (next.ts !== cursor.ts) result[lowest] += remaining / (next.ts - cursor.ts);
    }
    return result;
  }
  Object.assign(result, Duration.fromMillis(remaining).shiftTo(...timeUnits).values);
  return result;
}

function isoYear(y) { return y >= 0 && y <= 9999 ? pad(y, 4) : (y < 0 ? '-' : '+') + pad(Math.abs(y), 6); }

function isoWeek(dt) {
  const date = new Date(Date.UTC(dt.year, dt.month - 1, dt.day));
  const day = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  return { year: date.getUTCFullYear(), week: Math.ceil(((date - yearStart) / 86400000 + 1) / 7) };
}

function tokenize(format) {
  const tokens = [];
  const s = String(format);
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (ch === "'") {
      const end = s.indexOf("'", i + 1);
      if (end === i + 1) { tokens.push({ literal: true, value: "'" }); i += 2; continue; }
      const stop = end < 0 ? s.length : end;
      tokens.push({ literal: true, value: s.slice(i + 1, stop) });
      i = stop + 1;
      continue;
    }
    if (/[A-Za-z]/.test(ch)) {
      let j = i;
      while (j < s.length && s[j] === ch) j++;
      tokens.push({ literal: false, value: s.slice(i, j) });
      i = j;
      continue;
    }
    tokens.push({ literal: true, value: ch });
    i++;
  }
  return tokens;
}

function formatToken(dt, token) {
  const h12 = dt.hour % 12 === 0 ? 12 : dt.hour % 12;
  switch (token) {
    case 'yyyy': return pad(dt.year, 4);
    case 'yy': return pad(dt.year % 100);
    case 'y': return String(dt.year);
    case 'yyyyyy': return pad(dt.year, 6);
    case 'M': return String(dt.month);
    case 'MM': return pad(dt.month);
    case 'MMM': case 'LLL': return dt.monthShort;
    case 'MMMM': case 'LLLL': return dt.monthLong;
    case 'MMMMM': case 'LLLLL': return dt.monthLong[0];
    case 'L': return String(dt.month);
    case 'LL': return pad(dt.month);
    case 'd': return String(dt.day);
    case 'dd': return pad(dt.day);
    case 'o': return String(dt.ordinal);
    case 'ooo': return pad(dt.ordinal, 3);
    case 'H': return String(dt.hour);
    case 'HH': return pad(dt.hour);
    case 'h': return String(h12);
    case 'hh': return pad(h12);
    case 'm': return String(dt.minute);
    case 'mm': return pad(dt.minute);
    case 's': return String(dt.second);
    case 'ss': return pad(dt.second);
    case 'S': return String(dt.millisecond);
    case 'SSS': return pad(dt.millisecond, 3);
    case 'u': return pad(dt.millisecond, 3);
    case 'a': return dt.hour < 12 ? 'AM' : 'PM';
    case 'E': case 'c': return String(dt.weekday);
    case 'EEE': case 'ccc': return dt.weekdayShort;
    case 'EEEE': case 'cccc': return dt.weekdayLong;
    case 'EEEEE': case 'ccccc': return dt.weekdayLong[0];
    case 'W': return String(dt.weekNumber);
    case 'WW': return pad(dt.weekNumber);
    case 'kk': return pad(dt.weekYear % 100);
    case 'kkkk': return pad(dt.weekYear, 4);
    case 'q': return String(dt.quarter);
    case 'qq': return pad(dt.quarter);
    case 'Z': return dt.o === 0 && dt.zoneName === 'UTC' ? '+0' : formatOffset(dt.o, 'narrow');
    case 'ZZ': return formatOffset(dt.o);
    case 'ZZZ': return formatOffset(dt.o, 'techie');
    case 'z': return dt.zoneName;
    case 'X': return String(Math.floor(dt.ts / 1000));
    case 'x': return String(dt.ts);
    case 'D': return `${dt.month}/${dt.day}/${dt.year}`;
    case 'DD': return `${dt.monthShort} ${dt.day}, ${dt.year}`;
    case 'DDD': return `${dt.monthLong} ${dt.day}, ${dt.year}`;
    case 'DDDD': return `${dt.weekdayLong}, ${dt.monthLong} ${dt.day}, ${dt.year}`;
    case 't': return `${h12}:${pad(dt.minute)} ${dt.hour < 12 ? 'AM' : 'PM'}`;
    case 'tt': return `${h12}:${pad(dt.minute)}:${pad(dt.second)} ${dt.hour < 12 ? 'AM' : 'PM'}`;
    case 'T': return `${pad(dt.hour)}:${pad(dt.minute)}`;
    case 'TT': return `${pad(dt.hour)}:${pad(dt.minute)}:${pad(dt.second)}`;
    case 'f': return `${formatToken(dt, 'D')}, ${formatToken(dt, 't')}`;
    case 'ff': return `${formatToken(dt, 'DD')}, ${formatToken(dt, 't')}`;
    case 'F': return `${formatToken(dt, 'D')}, ${formatToken(dt, 'tt')}`;
    case 'FF': return `${formatToken(dt, 'DD')}, ${formatToken(dt, 'tt')}`;
    default: return token;
  }
}

function escapeRegex(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }
const monthIndex = (name) => MONTHS.findIndex((m) => m.toLowerCase().startsWith(name.toLowerCase().slice(0, 3))) + 1;
const num = (field) => (c, v) => { c[field] = Number(v); };
const PARSE_TOKENS = {
  yyyy: { re: '\\d{4}', set: num('year') }, yy: { re: '\\d{2}', set: (c, v) => { c.year = 2000 + Number(v); } },
  y: { re: '\\d{1,6}', set: num('year') },
  MM: { re: '\\d{2}', set: num('month') }, M: { re: '\\d{1,2}', set: num('month') },
  LL: { re: '\\d{2}', set: num('month') }, L: { re: '\\d{1,2}', set: num('month') },
  MMM: { re: '[A-Za-z]{3}', set: (c, v) => { c.month = monthIndex(v); } },
  MMMM: { re: '[A-Za-z]+', set: (c, v) => { c.month = monthIndex(v); } },
  dd: { re: '\\d{2}', set: num('day') }, d: { re: '\\d{1,2}', set: num('day') },
  HH: { re: '\\d{2}', set: num('hour') }, H: { re: '\\d{1,2}', set: num('hour') },
  hh: { re: '\\d{2}', set: num('hour') }, h: { re: '\\d{1,2}', set: num('hour') },
  mm: { re: '\\d{2}', set: num('minute') }, m: { re: '\\d{1,2}', set: num('minute') },
  ss: { re: '\\d{2}', set: num('second') }, s: { re: '\\d{1,2}', set: num('second') },
  SSS: { re: '\\d{3}', set: num('millisecond') }, S: { re: '\\d{1,3}', set: num('millisecond') },
  a: { re: 'AM|PM', set: (c, v) => ({ pm: v.toUpperCase() === 'PM' }) },
  EEE: { re: '[A-Za-z]{3}', set: () => {} }, EEEE: { re: '[A-Za-z]+', set: () => {} },
  ZZ: { re: '[+-]\\d{2}:\\d{2}|Z', set: (c, v) => ({ offset: core.parseFixedZone(v === 'Z' ? 'UTC' : v) }) },
  ZZZ: { re: '[+-]\\d{4}', set: (c, v) => ({ offset: core.parseFixedZone(v) }) },
  Z: { re: '[+-]\\d{1,2}(?::\\d{2})?', set: (c, v) => ({ offset: core.parseFixedZone(v) }) },
  X: { re: '-?\\d+', set: (c, v) => ({ ts: Number(v) * 1000 }) },
  x: { re: '-?\\d+', set: (c, v) => ({ ts: Number(v) }) },
};

Object.assign(DateTime, {
  DATE_SHORT: { year: 'numeric', month: 'numeric', day: 'numeric' },
  DATE_MED: { year: 'numeric', month: 'short', day: 'numeric' },
  DATE_MED_WITH_WEEKDAY: { year: 'numeric', month: 'short', day: 'numeric', weekday: 'short' },
  DATE_FULL: { year: 'numeric', month: 'long', day: 'numeric' },
  DATE_HUGE: { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' },
  TIME_SIMPLE: { hour: 'numeric', minute: 'numeric' },
  TIME_WITH_SECONDS: { hour: 'numeric', minute: 'numeric', second: 'numeric' },
  TIME_24_SIMPLE: { hour: 'numeric', minute: 'numeric', hourCycle: 'h23' },
  TIME_24_WITH_SECONDS: { hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' },
  DATETIME_SHORT: { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' },
  DATETIME_MED: { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: 'numeric' },
  DATETIME_FULL: { year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: 'numeric', timeZoneName: 'short' },
});

class Interval {
  constructor(start, end) { this.s = start; this.e = end; }
  static fromDateTimes(start, end) { return new Interval(coerceDate(start), coerceDate(end)); }
  static after(start, duration) { const s = coerceDate(start); return new Interval(s, s.plus(duration)); }
  static before(end, duration) { const e = coerceDate(end); return new Interval(e.minus(duration), e); }
  get start() { return this.s; }
  get end() { return this.e; }
  get isValid() { return this.s.isValid && this.e.isValid && this.s.ts <= this.e.ts; }
  length(unit = 'milliseconds') { return this.toDuration(unit).as(unit); }
  toDuration(unit = 'milliseconds') { return this.e.diff(this.s, unit); }
  contains(dt) { return this.s.ts <= dt.ts && dt.ts < this.e.ts; }
  overlaps(other) { return this.e.ts > other.s.ts && this.s.ts < other.e.ts; }
  isBefore(dt) { return this.e.ts <= dt.ts; }
  isAfter(dt) { return this.s.ts > dt.ts; }
  toISO() { return `${this.s.toISO()}/${this.e.toISO()}`; }
  toString() { return this.isValid ? `[${this.s.toISO()} – ${this.e.toISO()})` : 'Invalid Interval'; }
  toJSON() { return this.toISO(); }
}

function coerceDate(value) {
  if (value instanceof DateTime) return value;
  if (value instanceof Date) return DateTime.fromJSDate(value);
  if (typeof value === 'number') return DateTime.fromMillis(value);
  return DateTime.fromObject(value);
}

module.exports = { DateTime, Interval, Settings };
