/**
 * A small synonym and acronym map for machine-learning papers. Used on the query side only,
 * as weaker alternatives of a query word (the index stays literal). Words are given as
 * written; they go through the same term pipeline as everything else.
 */
const GROUPS: readonly (readonly string[])[] = [
  ["cnn", "convolutional", "convnet"],
  ["rnn", "recurrent"],
  ["lstm", "recurrent"],
  ["gnn", "graph"],
  ["rl", "reinforcement"],
  ["bnn", "bayesian"],
  ["sgd", "stochastic"],
  ["kd", "distillation"],
  ["mlp", "perceptron"],
  ["vae", "variational"],
  ["gan", "adversarial"],
  ["vit", "transformer"],
  ["nerf", "radiance"],
  ["pca", "principal"],
  ["nlp", "language"],
  ["llm", "language"],
  ["ar", "augmented"],
  ["image", "picture", "photo"],
  ["continual", "lifelong", "incremental"],
  ["forgetting", "forget", "catastrophic"],
  ["memorization", "memorize", "memorizing"],
  ["generalization", "generalize"],
  ["optimization", "optimize", "optimizer"],
  ["regularization", "regularizer", "regularize"],
  ["augmentation", "augment"],
  ["distillation", "distill", "distilling"],
  ["retrieval", "retriever", "retrieve"],
  ["cosmology", "cosmological"],
  ["interpretability", "interpretable", "explainability", "explainable"],
  ["robustness", "robust"],
  ["temperature", "tempering", "temper"],
  ["car", "vehicle", "automobile"],
  ["road", "street"],
  ["dataset", "data"],
  ["benchmark", "dataset"],
];

const BY_WORD: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const group of GROUPS) {
    for (const word of group) {
      const list = map.get(word) ?? [];
      for (const other of group) if (other !== word && !list.includes(other)) list.push(other);
      map.set(word, list);
    }
  }
  return map;
})();

/** Alternatives for a folded query word (empty when it has none). */
export function synonymsOf(word: string): readonly string[] {
  return BY_WORD.get(word) ?? [];
}
