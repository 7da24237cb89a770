import { createHmac } from 'node:crypto';

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
  readonly #key: Buffer;
  /**
   * Memo of derived strings. The same ids, references and identifiers recur in
   * almost every record of a patient; an HMAC costs ~1.5 µs, a Map hit ~50 ns.
   * Bounded: cleared when full, so memory stays constant on any input.
   */
  readonly #memo = new Map<string, Map<string, string>>();
  static readonly MEMO_LIMIT = 10_000;

  constructor(key: Buffer) {
    this.#key = key;
  }

  #memoized(label: string, value: string, derive: () => string): string {
    let m = this.#memo.get(label);
    if (!m) this.#memo.set(label, (m = new Map()));
    let v = m.get(value);
    if (v === undefined) {
      v = derive();
      if (m.size >= Keyed.MEMO_LIMIT) m.clear();
      m.set(value, v);
    }
    return v;
  }

  mac(label: string, value: string): Buffer {
    return createHmac('sha256', this.#key).update(label).update('\0').update(value, 'utf8').digest();
  }

  /** Google's CryptoHashConfig shape: base64(HMAC-SHA256(key, value)). */
  cryptoHash(value: string): string {
    return createHmac('sha256', this.#key).update(value, 'utf8').digest('base64');
  }

  /** 32 lowercase hex digits (128 bits). */
  pseudonym(label: string, value: string): string {
    return this.mac(label, value).toString('hex', 0, 16);
  }

  /**
   * The pseudonym of an identifier value (FHIR Identifier.value, DICOM
   * PatientID, OtherPatientIDs…). One function for both modalities so that
   * the same MRN gets the same pseudonym everywhere.
   */
  identifier(value: string): string {
    return this.#memoized('identifier', value, () => this.pseudonym('identifier', value.trim()));
  }

  /** RFC 9562 version 8 (custom, here HMAC-SHA256 name-based) UUID bytes. */
  uuidBytes(label: string, value: string): Buffer {
    const b = this.mac(label, value).subarray(0, 16);
    b[6] = (b[6]! & 0x0f) | 0x80;
    b[8] = (b[8]! & 0x3f) | 0x80;
    return b;
  }

  uuid(value: string): string {
    return this.#memoized('uuid', value, () => {
      const h = this.uuidBytes('uuid', value.toLowerCase()).toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    });
  }

  /**
   * A DICOM UID under the 2.25 root (PS3.5 B.2: the integer value of a UUID),
   * derived from the original UID. Also used for FHIR `urn:oid:` study UIDs so
   * ImagingStudy and the DICOM it describes stay linked.
   */
  uid(original: string): string {
    // Memoized: an instance's study, series and frame-of-reference UIDs recur in every instance of the series.
    return this.#memoized('dicom-uid', original, () => {
      const b = this.uuidBytes('dicom-uid', original.replace(/[\0 ]+$/, ''));
      return `2.25.${BigInt('0x' + b.toString('hex')).toString(10)}`;
    });
  }

  /** FHIR logical id pseudonym; UUID-shaped ids stay UUIDs (and agree with `urn:uuid:`). */
  fhirId(id: string): string {
    return this.#memoized('fhir-id', id, () => (UUID_RE.test(id) ? this.uuid(id) : this.pseudonym('fhir-id', id)));
  }

  /**
   * The date shift of a patient, in whole days within ±range and never 0.
   * `patientKey` is the patient's stable key (see ../fhir/patient.ts).
   */
  dateShiftDays(patientKey: string, range = 100): number {
    return Number(
      this.#memoized('date-shift', `${range}\0${patientKey}`, () => {
        const n = this.mac('date-shift', patientKey).readUInt32BE(0) % (2 * range);
        return String(n < range ? -(n + 1) : n - range + 1);
      }),
    );
  }
}

export const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
