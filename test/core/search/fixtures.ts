import type { SearchDocument } from "../../../src/core/search/engine.ts";

const doc = (
  id: string,
  title: string,
  authors: string,
  venue: string,
  abstract: string,
): SearchDocument => ({
  id,
  title,
  authors,
  venue,
  categories: "cs.LG",
  abstract,
});

/** A small corpus with the cases search must handle: accents, British spelling, near-duplicate topics. */
export const DOCUMENTS: SearchDocument[] = [
  doc(
    "2305.09088",
    "The Hessian perspective into the Nature of Convolutional Neural Networks",
    "Sidak Pal Singh; Thomas Hofmann; Bernhard Schölkopf",
    "ICML 2023",
    "We study the Hessian maps of CNNs. We prove tight upper bounds on the Hessian rank, which grows as the square root of the number of parameters.",
  ),
  doc(
    "2210.14019",
    "The Curious Case of Benign Memorization",
    "Sotiris Anagnostidis; Gregor Bachmann; Thomas Hofmann",
    "ICLR 2023",
    "Neural networks memorise random labels in a benign way under data augmentation. Memorisation happens in the last layers.",
  ),
  doc(
    "2205.13900",
    "How Tempering Fixes Data Augmentation in Bayesian Neural Networks",
    "Gregor Bachmann; Lorenzo Noci; Thomas Hofmann",
    "ICML 2022",
    "The cold posterior effect in Bayesian neural networks is explained by data augmentation and the invariance of the model.",
  ),
  doc(
    "2210.00828",
    "Mastering Spatial Graph Prediction of Road Networks",
    "Sotiris Anagnostidis; Aurelien Lucchi; Thomas Hofmann",
    "ICCV 2023",
    "Predicting road networks from satellite images with a graph-based reinforcement learning framework and tree search.",
  ),
];
