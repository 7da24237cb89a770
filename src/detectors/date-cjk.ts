import type { Likelihood } from '../text/types.js';
import { patternDetector } from './pattern.js';
import type { DatePart } from './date.js';

/**
 * DATE and DATE_OF_BIRTH written the Chinese, Japanese and Korean way:
 * 2023年4月5日, 2023年4月, 4月5日, 2023年; Korean 2023년 4월 5일; Japanese era
 * years 令和5年4月5日 (Meiji from its 6th year, Taisho, Showa, Heisei, Reiwa;
 * 元年 = year 1); full-width digits (２０２３年４月５日); 号/號 for the day.
 * A year of one to three digits without an era name (23年4月5日) is found
 * but cannot be read (which era, which century?), so it is redacted, and so
 * is any date whose month or day does not exist (2023年13月40日). In text
 * with Japanese script, era initials with numbers (R5.4.5, H31/4/30); in
 * text with Hangul, dotted dates (2023. 4. 5.).
 */
const D = '[0-9０-９]';
const SP = '[ \\u3000]?';
const ERA_NAMES = '明治|大正|昭和|平成|令和';
const DAY_MARK = '[日일号號]';
const BODY =
  `(?:(?<era>${ERA_NAMES})${SP}(?<ey>元|${D}{1,2})${SP}年|(?<y>${D}{4})${SP}[年년]|(?<yx>${D}{1,3})${SP}[年년](?=${SP}${D}{1,2}${SP}[月월]))` +
  `(?:${SP}(?<m>${D}{1,2})${SP}[月월](?:${SP}(?<d>${D}{1,2})${SP}${DAY_MARK})?)?` +
  `|(?<m2>${D}{1,2})${SP}[月월]${SP}(?<d2>${D}{1,2})${SP}${DAY_MARK}` +
  // Japanese era initials (R5.4.5, H31/4/30) and Korean dotted dates (2023. 4. 5.), read only in text of those scripts.
  `|(?<![A-Za-z])(?<ea>[MTSHR])(?<eay>${D}{1,2})(?<esep>[./])(?<eam>${D}{1,2})\\k<esep>(?<ead>${D}{1,2})(?![0-9０-９]|[./][0-9０-９])` +
  `|(?<ky>${D}{4})\\. ?(?<km>${D}{1,2})\\. ?(?<kd>${D}{1,2})(?!\\.?[0-9０-９])\\.?`;

const CJK_DATE_RE = new RegExp(`(?<![0-9０-９])(?:${BODY})`, 'gu');
const CJK_DATE_ANCHORED = new RegExp(`^(?:${BODY})$`, 'du');
const HINT = /[年년月월]/;
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;
const HANGUL = /[\uac00-\ud7af]/;
/** Era initials as Japanese forms write them. */
const ERA_INITIAL: Record<string, string> = { M: '明治', T: '大正', S: '昭和', H: '平成', R: '令和' };
export const INITIAL_OF_ERA: Record<string, string> = Object.fromEntries(Object.entries(ERA_INITIAL).map(([initial, era]) => [era, initial]));
const DOB_CONTEXT = /(?:生年月日|出生日期|出生|誕生日|생년월일|생일|\bdob|date of birth)[\s:：]{0,3}$/i;

/** Era name -> first day (Gregorian, UTC) of the era as deid reads it. */
const ERAS: readonly { name: string; start: [number, number, number] }[] = [
  // The Gregorian calendar was adopted in Meiji 6 (1873); earlier Meiji dates are lunar.
  { name: '明治', start: [1873, 1, 1] },
  { name: '大正', start: [1912, 7, 30] },
  { name: '昭和', start: [1926, 12, 25] },
  { name: '平成', start: [1989, 1, 8] },
  { name: '令和', start: [2019, 5, 1] },
];
const ERA_YEAR_ONE: Record<string, number> = { 明治: 1868, 大正: 1912, 昭和: 1926, 平成: 1989, 令和: 2019 };

/** Half-width value of digits that may be full-width. */
function cjkNumber(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    n = n * 10 + (c >= 0xff10 ? c - 0xff10 : c - 48);
  }
  return n;
}

/** Milliseconds of a proleptic Gregorian date at 00:00 UTC (any year, unlike Date.UTC's 0-99). */
function ymd(y: number, m: number, d: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return t.getTime();
}

/** The era a Gregorian date falls in, or undefined before Meiji 6. */
export function eraOf(y: number, m: number, d: number): string | undefined {
  const t = ymd(y, m, d);
  let found: string | undefined;
  for (const e of ERAS) if (t >= ymd(...e.start)) found = e.name;
  return found;
}

export function eraFirstYear(era: string): number {
  return ERA_YEAR_ONE[era]!;
}

/** A CJK date found in text, with where each part sits. */
export interface ParsedCjkDate {
  /** Gregorian year; undefined when the text names none (4月5日). */
  year?: number;
  month?: number;
  day?: number;
  era?: string;
  eraPart?: DatePart;
  /** The year as written (digits or 元), without 年. */
  yearPart?: DatePart;
  monthPart?: DatePart;
  dayPart?: DatePart;
}

function range(ix: RegExpIndicesArray['groups'], name: string): DatePart | undefined {
  const r = ix?.[name];
  return r ? { start: r[0], end: r[1] } : undefined;
}

function daysIn(y: number, m: number): number {
  return new Date(ymd(y, m + 1, 0)).getUTCDate();
}

/**
 * Parses the exact text of a CJK DATE finding. Undefined when it is not one
 * date we can place on the Gregorian calendar: no such month or day, an era
 * year outside its era, a year written without its era or century.
 */
export function parseCjkDate(s: string): ParsedCjkDate | undefined {
  const m = CJK_DATE_ANCHORED.exec(s);
  if (!m?.groups || !m.indices) return undefined;
  const g = m.groups;
  const ix = m.indices.groups;
  if (g.yx !== undefined) return undefined;
  const p: ParsedCjkDate = {};
  const mName = ['m', 'm2', 'eam', 'km'].find((k) => g[k] !== undefined);
  const dName = ['d', 'd2', 'ead', 'kd'].find((k) => g[k] !== undefined);
  if (mName !== undefined) {
    p.month = cjkNumber(g[mName]!);
    p.monthPart = range(ix, mName);
    if (p.month < 1 || p.month > 12) return undefined;
  }
  if (dName !== undefined) {
    p.day = cjkNumber(g[dName]!);
    p.dayPart = range(ix, dName);
  }
  const yName = g.y !== undefined ? 'y' : g.ky !== undefined ? 'ky' : undefined;
  if (yName !== undefined) {
    p.year = cjkNumber(g[yName]!);
    p.yearPart = range(ix, yName);
  } else if (g.era !== undefined || g.ea !== undefined) {
    const era = g.era ?? ERA_INITIAL[g.ea!]!;
    const ey = g.ey ?? g.eay!;
    const n = ey === '元' ? 1 : cjkNumber(ey);
    if (n < 1) return undefined;
    p.era = era;
    p.eraPart = range(ix, g.era !== undefined ? 'era' : 'ea');
    p.yearPart = range(ix, g.ey !== undefined ? 'ey' : 'eay');
    p.year = ERA_YEAR_ONE[era]! + n - 1;
  }
  if (p.day !== undefined) {
    const y = p.year ?? 2000;
    if (p.day < 1 || p.day > daysIn(y, p.month!)) return undefined;
  }
  if (p.era !== undefined) {
    // The date (or the first and last day of the month or year it names) must fall in the era.
    const y = p.year!;
    const atStart = eraOf(y, p.month ?? 1, p.day ?? 1);
    const atEnd = eraOf(y, p.month ?? 12, p.day ?? daysIn(y, p.month ?? 12));
    if (atStart !== p.era && atEnd !== p.era) return undefined;
  }
  return p;
}

/** CJK dates; see the comment at the top. Dates that cannot be read are still found (POSSIBLE), so they are redacted. */
export const cjkDateDetector = patternDetector({
  name: 'date-cjk',
  infoTypes: ['DATE', 'DATE_OF_BIRTH'],
  needsDigits: false,
  quick: (text) => HINT.test(text) || JAPANESE.test(text) || HANGUL.test(text),
  re: CJK_DATE_RE,
  judge(m, input) {
    const g = m.groups!;
    if (g.ea !== undefined && !JAPANESE.test(input.text)) return undefined;
    if (g.ky !== undefined && !HANGUL.test(input.text)) return undefined;
    if (g.ea !== undefined || g.ky !== undefined) return { likelihood: parseCjkDate(m[0]) ? 'VERY_LIKELY' : 'POSSIBLE', infoType: DOB_CONTEXT.test(input.text.slice(Math.max(0, m.index - 16), m.index)) ? 'DATE_OF_BIRTH' : 'DATE' };
    const hasMonth = g.m !== undefined || g.m2 !== undefined;
    const hasDay = g.d !== undefined || g.d2 !== undefined;
    // A bare four-digit year needs to look like one (1900-2099); "3年" is a duration and never matches.
    if (g.y !== undefined && !hasMonth && !/^[12１２][09０９]/.test(g.y)) return undefined;
    const readable = parseCjkDate(m[0]) !== undefined;
    let l: Likelihood;
    if (!readable) l = 'POSSIBLE';
    else if (g.era !== undefined || (hasMonth && hasDay && g.m !== undefined)) l = 'VERY_LIKELY';
    else if (hasMonth) l = 'LIKELY';
    else l = 'POSSIBLE';
    const before = input.text.slice(Math.max(0, m.index - 16), m.index);
    return { likelihood: l, infoType: DOB_CONTEXT.test(before) ? 'DATE_OF_BIRTH' : 'DATE' };
  },
});
