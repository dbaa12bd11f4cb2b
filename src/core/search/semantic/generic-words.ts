/**
 * Words every paper uses about itself ("we propose a method that shows results"): they never
 * tell what two papers have in common, so they are never offered as the words two papers share.
 * Compared as index terms (stemmed), so one form of each is enough.
 */
import { termOf } from "../normalize.ts";

const GENERIC =
  "provide aim aims reason key propose proposed show result approach method methods present " +
  "introduce novel new work paper study studies based use used using well first second two three " +
  "one several various different particular large small high low strong lack improve improved " +
  "improvement achieve achieving allow due interesting extensive include including mainly " +
  "therefore thus standard state art performance framework task tasks problem setting settings " +
  "recent recently demonstrate demonstrates observe observed find found identify investigate " +
  "investigated analysis analyze analyzes empirical empirically theoretical theory simple " +
  "effective efficient existing previous prior further given general specific respect terms " +
  "way ways case cases number able ability despite while still already even often known " +
  "model models data learning learn captures capture important interest outperforms baselines " +
  "experiments experimental evaluate evaluation benchmark code available publicly make made " +
  "highly finally closely largely mostly partially entirely completely opposed non contrast " +
  "principle principles apply applied application applications quantitative qualitative employ " +
  "employing rely relying prove perspective insight insights understanding meaningful trivial " +
  "collection popular natural nature remain remained consequence consequences become becomes " +
  "area areas increase increased power required restricted lead leads explore explored " +
  "corresponding direction directions neural network networks deep";

export const GENERIC_TERMS: ReadonlySet<string> = new Set(GENERIC.split(" ").map(termOf));
