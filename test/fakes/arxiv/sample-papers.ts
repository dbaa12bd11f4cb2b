/** Papers the arXiv tests share: new- and old-style ids, several versions, every optional field somewhere. */
import type { FakePaper } from "./atom-feed.ts";

export const SHARPNESS: FakePaper = {
  id: "2401.01234",
  version: 2,
  title:
    "Sharpness  and the Hessian: How the Curvature of the Loss Landscape Shapes What Deep Networks Learn & Forget",
  abstract:
    "We study the Hessian of the training loss <H> and show that  sharpness falls as training proceeds. Our analysis covers transformers, convolutional networks and multilayer perceptrons trained with stochastic gradient descent at scale.",
  authors: [{ name: "Gregor Bachmann", affiliation: "ETH Zürich" }, "Thomas Hofmann"],
  categories: ["cs.LG", "stat.ML", "68T05", "cs.LG"],
  submitted: "2024-01-03T18:59:59Z",
  updated: "2024-02-10T09:30:00Z",
  comment:
    "ICML 2024; 30 pages, 12 figures; code at https://github.com/example/sharpness-hessian and more text to wrap",
  journalRef: "Proceedings of the 41st International Conference on Machine Learning, PMLR 235 (2024) 1-30",
  doi: "10.48550/example.2401.01234",
};

export const SCALING: FakePaper = {
  id: "2402.05678",
  title: "Scaling Limits of Transformers",
  abstract: "Signal propagation in deep transformers at infinite width and depth.",
  authors: ["Lorenzo Noci", "Gregor Bachmann"],
  categories: ["cs.LG"],
  submitted: "2024-02-08T12:00:00Z",
};

export const VISION: FakePaper = {
  id: "2403.00001",
  version: 3,
  title: "A Vision Model",
  abstract: "Images, many of them.",
  authors: ["Alice Smith"],
  categories: ["cs.CV", "cs.LG"],
  submitted: "2024-03-01T08:00:00Z",
  updated: "2024-05-01T08:00:00Z",
};

export const CHECKERBOARD: FakePaper = {
  id: "2312.09999",
  title: "Checkerboard Order in Quantum Criticality",
  abstract: "Helium on a checkerboard lattice.",
  authors: ["Adrian Del Maestro"],
  categories: ["cond-mat.stat-mech", "quant-ph"],
  submitted: "2023-12-15T16:20:00Z",
};

export const OLD_STYLE: FakePaper = {
  id: "hep-th/9901001",
  title: "Large N Limits",
  abstract: "Old papers have old ids.",
  authors: ["Juan Maldacena"],
  categories: ["hep-th"],
  submitted: "1999-01-05T12:00:00Z",
};

export const SAMPLE_PAPERS: readonly FakePaper[] = [SHARPNESS, SCALING, VISION, CHECKERBOARD, OLD_STYLE];
