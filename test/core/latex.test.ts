import { describe, expect, it } from "vitest";
import { latexToText } from "../../src/core/latex.ts";

describe("latexToText", () => {
  it("keeps the words of text markup", () => {
    expect(latexToText(String.raw`without relying on any \textit{dark knowledge}, (2)`)).toBe(
      "without relying on any dark knowledge, (2)",
    );
    expect(latexToText(String.raw`a \textbf{\emph{bold}} claim`)).toBe("a bold claim");
  });

  it("makes inline maths readable", () => {
    expect(latexToText(String.raw`inputs of $\mathcal{O}(10^4) - \mathcal{O}(10^5)$ galaxies`)).toBe(
      "inputs of O(10^4) – O(10^5) galaxies",
    );
    expect(latexToText(String.raw`$\alpha \leq 10^{-3}$`)).toBe("α ≤ 10^-3");
  });

  it("unescapes special characters and drops citations", () => {
    expect(latexToText(String.raw`50\% faster \& smaller \cite{foo}.`)).toBe("50% faster & smaller .");
  });

  it("turns spaced double hyphens into a dash", () => {
    expect(latexToText("their nature -- through the perspective")).toBe(
      "their nature – through the perspective",
    );
  });

  it("leaves plain text alone", () => {
    const plain = "Neural networks (CNNs) learn; i.e. they memorize 3-5 patterns.";
    expect(latexToText(plain)).toBe(plain);
  });
});
