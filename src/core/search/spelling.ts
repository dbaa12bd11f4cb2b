/**
 * British -> American spelling, applied to every word on both the index and the query side,
 * so "optimisation", "behaviour" and "modelling" find "optimization", "behavior", "modeling".
 * Rules only need to be consistent: a rewrite that produces a non-word ("noise" -> "noize")
 * still matches itself.
 */

const WORDS: Readonly<Record<string, string>> = {
  centre: "center",
  centres: "centers",
  centred: "centered",
  metre: "meter",
  metres: "meters",
  litre: "liter",
  fibre: "fiber",
  fibres: "fibers",
  theatre: "theater",
  grey: "gray",
  programme: "program",
  programmes: "programs",
  defence: "defense",
  licence: "license",
  offence: "offense",
  aluminium: "aluminum",
  sulphur: "sulfur",
  judgement: "judgment",
  judgements: "judgments",
  acknowledgement: "acknowledgment",
  ageing: "aging",
  artefact: "artifact",
  artefacts: "artifacts",
  learnt: "learned",
  burnt: "burned",
  spelt: "spelled",
  dreamt: "dreamed",
  fulfil: "fulfill",
  skilful: "skillful",
  enrol: "enroll",
  anaemia: "anemia",
  oestrogen: "estrogen",
  foetus: "fetus",
  paediatric: "pediatric",
  orthopaedic: "orthopedic",
  encyclopaedia: "encyclopedia",
  haemoglobin: "hemoglobin",
  manoeuvre: "maneuver",
  sceptical: "skeptical",
  mould: "mold",
  tyre: "tire",
  cheque: "check",
  towards: "toward",
  amongst: "among",
  whilst: "while",
};

const OUR_STEMS =
  /^(colo|behavio|neighbo|favo|labo|harbo|hono|humo|rumo|vapo|flavo|savo|endeavo|armo|fervo|rigo|splendo|tumo|odo|clamo|vigo|parlo)ur/;

/** Any ending the replaces in `americanize` look at. */
const BRITISH_ENDING = /(?:is(?:ations?|e|ed|es|ing|ers?)|ys(?:e|ed|es|ing|ers?)|ll(?:ed|ing|ers?)|ogues?)$/;

/** Fold a British spelling into the American one; words already American come back unchanged. */
export function americanize(word: string): string {
  const mapped = WORDS[word];
  if (mapped !== undefined) return mapped;
  if (word.length < 5) return word;
  // Most words end in none of the endings below: one test instead of four replaces.
  if (!BRITISH_ENDING.test(word) && !OUR_STEMS.test(word)) return word;
  let w = word;
  if (OUR_STEMS.test(w)) w = w.replace(OUR_STEMS, "$1r");
  // optimisation, regularise(d|s), generalising, analyse(d), catalyser
  w = w.replace(/([a-z]{2})is(ation|ations|e|ed|es|ing|er|ers)$/, "$1iz$2");
  w = w.replace(/([a-z])ys(e|ed|es|ing|er|ers)$/, "$1yz$2");
  // modelling, labelled, travelling, signalling, cancelled
  w = w.replace(/([ae])ll(ed|ing|er|ers)$/, "$1l$2");
  // catalogue, dialogue, analogue
  w = w.replace(/ogue(s?)$/, "og$1");
  return w;
}
