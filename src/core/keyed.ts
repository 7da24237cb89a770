import { HmacSha256 } from './hmac-sha256.js';

/**
 * Every keyed derivation the project makes. All of them are pure functions of
 * (key, input), so pseudonyms and date shifts agree across files, shards, runs,
 * processes and modalities without shared state.
 *
 * Derivations other than `cryptoHash` are domain-separated: the HMAC input is
 * `label NUL value`, so a value hashed for one purpose can never be matched
 * against the same value hashed for another.
 */
export class Keyed {
  readonly #hmac: HmacSha256;
  /**
   * Memos of derived strings, one per derivation. The same ids, references
   * and identifiers recur in almost every record of a patient; an HMAC costs
   * ~1 µs, a Map hit ~0.1 µs. Bounded: cleared when full, so memory stays
   * constant on any input.
   */
  readonly #ids = new Map<string, string>();
  readonly #uuids = new Map<string, string>();
  readonly #identifiers = new Map<string, string>();
  readonly #uids = new Map<string, string>();
  /** range → patient key → shift */
  readonly #shifts = new Map<number, Map<string, number>>();
  static readonly MEMO_LIMIT = 10_000;

  constructor(key: Buffer) {
    this.#hmac = new HmacSha256(key);
  }

  /** HMAC-SHA256(key, label NUL value) as 8 words, valid until the next call. */
  #words(label: string, value: string): Int32Array {
    return this.#hmac.reset().update(label).byte(0).update(value).digestWords();
  }

  mac(label: string, value: string): Buffer {
    return this.#hmac.reset().update(label).byte(0).update(value).digest();
  }

  /** Google's CryptoHashConfig shape: base64(HMAC-SHA256(key, value)). */
  cryptoHash(value: string): string {
    return this.#hmac.reset().update(value).digest().toString('base64');
  }

  /** 32 lowercase hex digits (128 bits). */
  pseudonym(label: string, value: string): string {
    const w = this.#words(label, value);
    return hex8(w[0]!) + hex8(w[1]!) + hex8(w[2]!) + hex8(w[3]!);
  }

  /**
   * The pseudonym of an identifier value (FHIR Identifier.value, DICOM
   * PatientID, OtherPatientIDs…). One function for both modalities so that
   * the same MRN gets the same pseudonym everywhere.
   */
  identifier(value: string): string {
    let v = this.#identifiers.get(value);
    if (v === undefined) {
      v = this.pseudonym('identifier', value.trim());
      remember(this.#identifiers, value, v);
    }
    return v;
  }

  /** RFC 9562 version 8 (custom, here HMAC-SHA256 name-based) UUID bytes. */
  uuidBytes(label: string, value: string): Buffer {
    const b = this.mac(label, value).subarray(0, 16);
    b[6] = (b[6]! & 0x0f) | 0x80;
    b[8] = (b[8]! & 0x3f) | 0x80;
    return b;
  }

  uuid(value: string): string {
    let v = this.#uuids.get(value);
    if (v === undefined) {
      // the uuidBytes layout, formatted from the words: version nibble in word 1, variant bits in word 2
      const w = this.#words('uuid', value.toLowerCase());
      const w1 = (w[1]! & 0xffff0fff) | 0x8000;
      const w2 = (w[2]! & 0x3fffffff) | 0x80000000;
      const h1 = hex8(w1);
      const h2 = hex8(w2);
      v = `${hex8(w[0]!)}-${h1.slice(0, 4)}-${h1.slice(4)}-${h2.slice(0, 4)}-${h2.slice(4)}${hex8(w[3]!)}`;
      remember(this.#uuids, value, v);
    }
    return v;
  }

  /**
   * A DICOM UID under the 2.25 root (PS3.5 B.2: the integer value of a UUID),
   * derived from the original UID. Also used for FHIR `urn:oid:` study UIDs so
   * ImagingStudy and the DICOM it describes stay linked.
   */
  uid(original: string): string {
    // Memoized: an instance's study, series and frame-of-reference UIDs recur in every instance of the series.
    let v = this.#uids.get(original);
    if (v === undefined) {
      const b = this.uuidBytes('dicom-uid', original.replace(/[\0 ]+$/, ''));
      v = `2.25.${BigInt('0x' + b.toString('hex')).toString(10)}`;
      remember(this.#uids, original, v);
    }
    return v;
  }

  /** FHIR logical id pseudonym; UUID-shaped ids stay UUIDs (and agree with `urn:uuid:`). */
  fhirId(id: string): string {
    if (id.length === 36 && UUID_RE.test(id)) return this.uuid(id); // memoized there
    let v = this.#ids.get(id);
    if (v === undefined) {
      v = this.pseudonym('fhir-id', id);
      remember(this.#ids, id, v);
    }
    return v;
  }

  /**
   * The date shift of a patient, in whole days within ±range and never 0.
   * `patientKey` is the patient's stable key (see ../fhir/patient.ts).
   */
  dateShiftDays(patientKey: string, range = 100): number {
    let memo = this.#shifts.get(range);
    if (!memo) this.#shifts.set(range, (memo = new Map()));
    let v = memo.get(patientKey);
    if (v === undefined) {
      const n = (this.#words('date-shift', patientKey)[0]! >>> 0) % (2 * range);
      v = n < range ? -(n + 1) : n - range + 1;
      remember(memo, patientKey, v);
    }
    return v;
  }
}

function remember<V>(m: Map<string, V>, k: string, v: V): void {
  if (m.size >= Keyed.MEMO_LIMIT) m.clear();
  m.set(k, v);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(w: number): string {
  return HEX[w >>> 24]! + HEX[(w >>> 16) & 0xff]! + HEX[(w >>> 8) & 0xff]! + HEX[w & 0xff]!;
}

export const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
