/**
 * Makes LaTeX in abstracts readable in chat: `\textit{dark knowledge}` -> dark knowledge,
 * `$\mathcal{O}(10^4)$` -> O(10^4). Search indexes the same plain text, so words still match.
 */
const SYMBOLS: Readonly<Record<string, string>> = Object.freeze({
  alpha: "α",
  beta: "β",
  gamma: "γ",
  delta: "δ",
  epsilon: "ε",
  varepsilon: "ε",
  zeta: "ζ",
  eta: "η",
  theta: "θ",
  kappa: "κ",
  lambda: "λ",
  mu: "μ",
  nu: "ν",
  xi: "ξ",
  pi: "π",
  rho: "ρ",
  sigma: "σ",
  tau: "τ",
  phi: "φ",
  varphi: "φ",
  chi: "χ",
  psi: "ψ",
  omega: "ω",
  Gamma: "Γ",
  Delta: "Δ",
  Theta: "Θ",
  Lambda: "Λ",
  Sigma: "Σ",
  Phi: "Φ",
  Psi: "Ψ",
  Omega: "Ω",
  times: "×",
  cdot: "·",
  leq: "≤",
  le: "≤",
  geq: "≥",
  ge: "≥",
  neq: "≠",
  approx: "≈",
  sim: "~",
  infty: "∞",
  pm: "±",
  to: "→",
  rightarrow: "→",
  leftarrow: "←",
  in: "∈",
  sqrt: "√",
  sum: "Σ",
  ell: "ℓ",
  ldots: "…",
  dots: "…",
  cdots: "…",
  log: "log",
  exp: "exp",
});

/** Commands whose braces are just markup: keep the argument, drop the command. */
const WRAPPERS =
  /\\(?:text(?:it|bf|tt|sc|rm|sf|normal)?|emph|mathrm|mathcal|mathbf|mathbb|mathit|mathsf|mathtt|operatorname|boldsymbol|bm|url|underline|textsuperscript|textsubscript)\s*\{([^{}]*)\}/g;

export function latexToText(input: string): string {
  let text = input;
  // Innermost first, so nested markup unwraps fully.
  for (let pass = 0; pass < 4 && WRAPPERS.test(text); pass++) {
    WRAPPERS.lastIndex = 0;
    text = text.replace(WRAPPERS, "$1");
  }
  text = text
    .replace(/\\(?:cite[pt]?|ref|label|footnote)\s*\{[^{}]*\}/g, "")
    .replace(/\\href\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, "$2 ($1)")
    .replace(/\\([%&$#_{}])/g, "$1")
    .replace(/\\([A-Za-z]+)/g, (_whole, name: string) => SYMBOLS[name] ?? "")
    .replace(/\$\$?([^$]*)\$\$?/g, "$1")
    .replace(/([\^_])\{([^{}]*)\}/g, "$1$2")
    .replace(/[{}]/g, "")
    .replace(/``|''/g, '"')
    .replace(/(^|\s)--?-?(\s|$)/g, "$1–$2")
    .replace(/\s+/g, " ")
    .trim();
  return text;
}
