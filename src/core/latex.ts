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

/** Characters every LaTeX step below needs: text without them skips those steps. */
const MARKUP = /[\\${}]/;
/** Whitespace other than one plain space: only then is there any to collapse. */
const UNEVEN_SPACE = /[^\S ]| {2}/;
const SPACE = /\s/;

/** A dash standing alone (at the start or after whitespace): cheaper to look for than to replace. */
function hasLooseDash(text: string): boolean {
  for (let at = text.indexOf("-"); at >= 0; at = text.indexOf("-", at + 1)) {
    if (at === 0 || SPACE.test(text.charAt(at - 1))) return true;
  }
  return false;
}

export function latexToText(input: string): string {
  let text = input;
  if (MARKUP.test(text)) {
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
      .replace(/[{}]/g, "");
  }
  if (text.includes("``") || text.includes("''")) text = text.replace(/``|''/g, '"');
  if (hasLooseDash(text)) text = text.replace(/(^|\s)--?-?(\s|$)/g, "$1–$2");
  if (UNEVEN_SPACE.test(text)) text = text.replace(/\s+/g, " ");
  return text.trim();
}
