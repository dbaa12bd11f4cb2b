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
  | "paraphrase"
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

/** Asked the way people talk, sharing no content word with the target's title (a test checks). */
const paraphrase = (
  mode: "search" | "ask",
  query: string,
  answerIncludes: string | undefined,
  relevant: string,
): LabelledQuery => ({
  query,
  kind: "paraphrase",
  mode,
  relevant: [relevant],
  ...(answerIncludes ? { answerIncludes } : {}),
});

/** Questions about nothing in the corpus, some near its topics: the right answer is no paper. */
const negative = (mode: "search" | "ask", query: string): LabelledQuery => ({
  query,
  kind: "empty",
  mode,
  relevant: [],
});

export const PARAPHRASES: readonly LabelledQuery[] = [
  paraphrase(
    "ask",
    "how many independent directions does the curvature of an image classifier's loss have?",
    undefined,
    HESSIAN,
  ),
  paraphrase("ask", "second derivatives of the training loss in image models", undefined, HESSIAN),
  paraphrase(
    "ask",
    "does the curvature of deep nets grow like the square root of the parameter count?",
    "square root",
    HESSIAN,
  ),
  paraphrase(
    "ask",
    "teaching a model to understand rooms and objects in three dimensions using text and pictures",
    undefined,
    CLIP3D,
  ),
  paraphrase("ask", "can a system respond to queries about indoor point clouds?", undefined, CLIP3D),
  paraphrase(
    "ask",
    "transferring image-text knowledge to reason about three-dimensional environments",
    undefined,
    CLIP3D,
  ),
  paraphrase(
    "ask",
    "how do you stop a model from losing old skills when it picks up new ones?",
    undefined,
    CONTINUAL,
  ),
  paraphrase(
    "ask",
    "keeping previously acquired knowledge while adapting to new tasks",
    undefined,
    CONTINUAL,
  ),
  paraphrase("ask", "remembering earlier tasks during sequential training", undefined, CONTINUAL),
  paraphrase("ask", "what happens if a student network copies an untrained instructor?", undefined, TEACHERS),
  paraphrase("ask", "knowledge distillation from a model that was never trained", undefined, TEACHERS),
  paraphrase(
    "ask",
    "can you distill from a freshly initialized model and still get useful features?",
    undefined,
    TEACHERS,
  ),
  paraphrase(
    "ask",
    "what can telescope catalogues tell us about the makeup of the cosmos?",
    undefined,
    COSMOLOGY,
  ),
  paraphrase(
    "ask",
    "deep learning on sky maps to estimate the parameters of the universe",
    undefined,
    COSMOLOGY,
  ),
  paraphrase("ask", "applying point-cloud models to astronomy data", undefined, COSMOLOGY),
  paraphrase(
    "ask",
    "which work infers cosmic parameters from the positions of millions of stars?",
    undefined,
    COSMOLOGY,
  ),
  paraphrase(
    "ask",
    "can a network fit completely shuffled labels and still learn useful features?",
    undefined,
    MEMORIZATION,
  ),
  paraphrase(
    "ask",
    "why doesn't overfitting noisy annotations hurt representations?",
    undefined,
    MEMORIZATION,
  ),
  paraphrase("ask", "do deep nets just fit mislabelled data, and is that harmful?", undefined, MEMORIZATION),
  paraphrase("ask", "turning a search system's embeddings back into text", undefined, RETRIEVER),
  paraphrase(
    "ask",
    "what would you have to type to get a given passage back from a dense search engine?",
    undefined,
    RETRIEVER,
  ),
  paraphrase("ask", "generating reformulations of what users type into a search box", undefined, RETRIEVER),
  paraphrase("search", "photos taken from above", undefined, ROADS),
  paraphrase("ask", "mapping streets from photos taken from above", "satellite", ROADS),
  paraphrase(
    "ask",
    "extracting street maps from aerial imagery with an agent that gets rewards",
    undefined,
    ROADS,
  ),
  paraphrase(
    "ask",
    "how can reinforcement learning draw a city's street layout from overhead pictures?",
    undefined,
    ROADS,
  ),
  paraphrase("ask", "how do beauty effects on selfie apps change faces?", undefined, FILTERS),
  paraphrase("ask", "a tool to study Instagram face effects", undefined, FILTERS),
  paraphrase("ask", "datasets of faces edited with phone camera effects", undefined, FILTERS),
  paraphrase(
    "ask",
    "why does sharpening the posterior help when inputs are randomly transformed?",
    undefined,
    TEMPERING,
  ),
  paraphrase("ask", "the cold posterior puzzle in probabilistic deep learning", "cold posterior", TEMPERING),
  paraphrase(
    "ask",
    "lowering the temperature of the likelihood in uncertainty-aware nets",
    undefined,
    TEMPERING,
  ),
  paraphrase("ask", "how do models avoid wiping out what they knew before?", undefined, CONTINUAL),
  paraphrase("ask", "what did the lab do on search engines?", undefined, RETRIEVER),
  paraphrase("ask", "anything on the psychology of face beautification?", undefined, FILTERS),
];

export const NEGATIVES: readonly LabelledQuery[] = [
  negative("search", "medieval tax records"),
  negative("ask", "what do we know about medieval tax records?"),
  negative("ask", "good hiking trails in the alps"),
  negative("ask", "how do I renew my passport?"),
  negative("ask", "recipes with chickpeas and spinach"),
  negative("ask", "the history of the roman empire"),
  negative("ask", "which vaccines does a kitten need?"),
  negative("ask", "tips for growing tomatoes on a balcony"),
  negative("search", "jazz guitar chords"),
  negative("ask", "who painted the mona lisa?"),
  negative("ask", "how do glaciers form?"),
  negative("ask", "interest rates and inflation forecasts"),
  negative("ask", "any papers on protein structure prediction?"),
  negative("ask", "how do bees communicate?"),
  negative("search", "wedding photography"),
];

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
  search("synonym", "sky surveys", COSMOLOGY),
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
  ...PARAPHRASES,
  ...NEGATIVES,
];
