/**
 * Labelled queries over the real papers in data/: what people type, and which papers answer it.
 * An empty `relevant` list means the right answer is no result at all.
 */
export type QueryKind =
  | "exact"
  | "typo"
  | "synonym"
  | "spelling"
  | "diacritics"
  | "author"
  | "venue"
  | "question"
  | "empty";

export interface LabelledQuery {
  query: string;
  kind: QueryKind;
  /** "ask" goes through PaperIndex.ask (question handling), "search" through PaperIndex.search. */
  mode: "search" | "ask";
  relevant: string[];
  /** For questions: words the picked answer sentence must contain. */
  answerIncludes?: string;
}

const HESSIAN = "2305.09088";
const CLIP3D = "2304.06061";
const CONTINUAL = "2303.09483";
const TEACHERS = "2302.12091";
const COSMOLOGY = "2211.12346";
const MEMORIZATION = "2210.14019";
const RETRIEVER = "2210.12084";
const ROADS = "2210.00828";
const FILTERS = "2207.12319";
const TEMPERING = "2205.13900";

const search = (kind: QueryKind, query: string, ...relevant: string[]): LabelledQuery => ({
  query,
  kind,
  mode: "search",
  relevant,
});
const ask = (query: string, answerIncludes: string | undefined, ...relevant: string[]): LabelledQuery => ({
  query,
  kind: relevant.length ? "question" : "empty",
  mode: "ask",
  relevant,
  ...(answerIncludes ? { answerIncludes } : {}),
});

export const LABELLED_QUERIES: readonly LabelledQuery[] = [
  search("exact", "hessian rank", HESSIAN),
  search("exact", "toeplitz representation", HESSIAN),
  search("exact", "catastrophic forgetting", CONTINUAL),
  search("exact", "lottery tickets", TEACHERS),
  search("exact", "galaxy redshift surveys", COSMOLOGY),
  search("exact", "PointNet", COSMOLOGY),
  search("exact", "benign memorization", MEMORIZATION),
  search("exact", "query decoder MSMarco", RETRIEVER),
  search("exact", "road networks from satellite images", ROADS),
  search("exact", "AR face filters", FILTERS),
  search("exact", "FairBeauty", FILTERS),
  search("exact", "cold posterior effect", TEMPERING),
  search("exact", "3D visual question answering", CLIP3D),
  search("exact", "The Curious Case of Benign Memorization", MEMORIZATION),

  search("typo", "hesian rank", HESSIAN),
  search("typo", "catastrophc forgetting", CONTINUAL),
  search("typo", "lotery tickets", TEACHERS),
  search("typo", "galxy redshift", COSMOLOGY),
  search("typo", "benign memorizaton", MEMORIZATION),
  search("typo", "tempring bayesian", TEMPERING),
  search("typo", "plasticty stability", CONTINUAL),
  search("typo", "cosmolgy", COSMOLOGY),
  search("typo", "reinforcment learning roads", ROADS),
  search("typo", "retreiver latent space", RETRIEVER),

  search("synonym", "lifelong learning", CONTINUAL),
  search("synonym", "convnet hessian", HESSIAN),
  search("synonym", "rl road graph", ROADS),
  search("synonym", "photo filters social media", FILTERS),
  search("synonym", "bnn posterior", TEMPERING),
  search("synonym", "distilling random teachers", TEACHERS),

  search("spelling", "memorisation", MEMORIZATION),
  search("spelling", "implicit regularisation teacher student", TEACHERS),
  search("spelling", "nearest neighbor probing", MEMORIZATION),
  search("spelling", "modelling augmentations", TEMPERING),
  search("spelling", "analysed two-point statistics", COSMOLOGY),

  search("diacritics", "Schölkopf", HESSIAN),
  search("diacritics", "Scholkopf", HESSIAN),
  search("diacritics", "Schoelkopf", HESSIAN),
  search("diacritics", "Tröster", COSMOLOGY),
  search("diacritics", "Troster", COSMOLOGY),
  search("diacritics", "Aurélien Lucchi", ROADS),

  search("author", "Sidak Pal Singh", HESSIAN),
  search("author", "Lorenzo Noci", CONTINUAL, MEMORIZATION, TEMPERING),
  search("author", "Nuria Oliver", FILTERS),
  search("author", "Delitzas", CLIP3D),
  search("author", "Refregier", COSMOLOGY),
  search("author", "Antonio Orvieto", CONTINUAL),
  search("author", "author:Noci continual", CONTINUAL),
  search("author", "Bachmann tempering", TEMPERING),

  search("venue", "ICCV", ROADS),
  search("venue", "ICML 2022", TEMPERING),
  search("venue", "ICLR", MEMORIZATION),
  search("venue", "CVPRW", CLIP3D),

  ask("how does the hessian rank grow with the number of parameters?", "square root", HESSIAN),
  ask("what did we publish at ICCV?", undefined, ROADS),
  ask("which paper explains the cold posterior effect?", "cold posterior", TEMPERING),
  ask("papers by Sidak Pal Singh", undefined, HESSIAN),
  ask("is there anything on catastrophic forgetting?", "catastrophic forgetting", CONTINUAL),
  ask("can a student learn from a random teacher?", undefined, TEACHERS),
  ask("how do neural networks memorise random labels?", "memorize", MEMORIZATION),
  ask("what have we done on cosmology?", undefined, COSMOLOGY),
  ask("which paper uses CLIP for 3D question answering?", "3D", CLIP3D),
  ask("anything about AR filters on social media?", undefined, FILTERS),
  ask("does tempering fix data augmentation?", undefined, TEMPERING),

  search("empty", "protein folding"),
  search("empty", "sourdough bread recipes"),
  search("empty", "quantum chromodynamics on the lattice"),
  search("empty", "stock market forecasting"),
  search("empty", "xyzzy"),
  search("empty", "Yann LeCun"),
  search("empty", "speech recognition for dolphins"),
  ask("what is the best recipe for sourdough?", undefined),
  ask("who won the football world cup?", undefined),
];
