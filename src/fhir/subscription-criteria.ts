import type { Keyed } from '../core/keyed.js';
import { isResourceType } from './r4-types.js';
import { ID_RE } from './reference-base.js';
import { pseudonymizeQuery, pseudonymizeReference } from './references.js';
import type { TextDeidConfig } from '../text/types.js';

/**
 * Search parameters that find a person by who they are (R4's Patient,
 * Practitioner, RelatedPerson and Person parameters): their values are names,
 * birth dates, addresses and contacts, and go with the parameter.
 */
const PERSON_PARAMS = new Set([
  'name', 'family', 'given', 'phonetic', 'birthdate', 'death-date', 'address', 'address-city', 'address-country',
  'address-postalcode', 'address-state', 'address-use', 'telecom', 'phone', 'email',
]);

/** Reference parameters whose value may be a bare id (`patient=123`) as well as `Type/id`. */
const ID_PARAMS = new Set(['_id', 'patient', 'subject', 'encounter', 'beneficiary', 'requester', 'performer', 'author', 'practitioner', 'organization']);

const TYPE_ID_RE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;
/** `<base>/Type/id`; a token's `system|code` is no reference. */
const ABS_REF_RE = /^[Hh][Tt][Tt][Pp][Ss]?:\/\/[^?#|]*\/[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;

/**
 * A Subscription's criteria (`Observation?patient=Patient/123&code=…`) as it
 * may stay: a resource's id in it gets that id's pseudonym (`Type/id`, and a
 * bare id where the parameter takes one), an `identifier` value the
 * identifier's, as in a conditional reference (references.ts); parameters
 * that search for a person by name, birth date, address or contact go. The
 * rest (codes, statuses, dates) stays for the caller to read as any
 * structured string. An absolute reference among the values is
 * pseudonymised as Reference.reference is, and goes when it cannot be.
 * Undefined when it is no `Type[?query]`, or a value cannot be decoded: the
 * caller removes it.
 */
export function pseudonymizeCriteria(criteria: string, keyed: Keyed, text: TextDeidConfig): string | undefined {
  const q = criteria.indexOf('?');
  const type = q < 0 ? criteria : criteria.slice(0, q);
  if (!isResourceType(type)) return undefined;
  if (q < 0) return criteria;
  const out: string[] = [];
  for (const part of criteria.slice(q + 1).split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq);
    // `subject:Patient.name` searches the subject by name: the last link of a chain says what the value is
    const base = name.slice(name.lastIndexOf('.') + 1).split(':')[0]!;
    if (PERSON_PARAMS.has(base)) continue;
    if (base === 'identifier') {
      const id = pseudonymizeQuery(`identifier=${part.slice(eq + 1)}`, keyed);
      if (id) out.push(`${name}${id.slice('identifier'.length)}`);
      continue;
    }
    const values: string[] = [];
    for (const raw of part.slice(eq + 1).split(',')) {
      let v: string;
      try {
        v = decodeURIComponent(raw);
      } catch {
        return undefined;
      }
      const m = TYPE_ID_RE.exec(v);
      if (m && isResourceType(m[1]!)) values.push(`${m[1]}/${keyed.fhirId(m[2]!)}`);
      else if (ID_PARAMS.has(base) && !name.includes('.') && ID_RE.test(v)) values.push(keyed.fhirId(v));
      else if (ABS_REF_RE.test(v)) {
        // an absolute reference, as in Reference.reference (its base read for PHI too)
        const ref = pseudonymizeReference(v, keyed, text);
        if (ref !== undefined) values.push(encodeURIComponent(ref));
      } else values.push(raw);
    }
    if (values.length) out.push(`${name}=${values.join(',')}`);
  }
  return out.length ? `${type}?${out.join('&')}` : type;
}
