/**
 * Inline filters in a query: `author:`, `year:`, `venue:`, `category:`, `before:`, `after:`.
 * Values may be quoted (`author:"Gregor Bachmann"`); what is left is the free text.
 */
import { UserError } from "../errors.ts";
import type { Paper } from "../paper.ts";
import { paperYear } from "../paper.ts";
import { foldText } from "../text.ts";

export interface QueryFilters {
  authors: string[];
  venues: string[];
  categories: string[];
  /** Inclusive year range. */
  yearFrom?: number;
  yearTo?: number;
  /** YYYY-MM-DD, exclusive bounds. */
  before?: string;
  after?: string;
}

export interface ParsedQuery {
  text: string;
  filters: QueryFilters;
  /** Human-readable filters, e.g. `author: Bachmann`, for "showing ..." lines. */
  described: string[];
}

const FILTER =
  /(?<![\w])(author|by|year|venue|at|category|cat|before|after|since|until):\s*(?:"([^"]*)"?|'([^']*)'?|(\S+))/gi;

function dateBound(value: string, name: string, end: boolean): string {
  const match = value.match(/^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/);
  if (!match)
    throw new UserError(
      "bad_input",
      `"${value.slice(0, 20)}" is not a date for ${name}:`,
      `Use ${name}:2023 or ${name}:2023-05-01.`,
    );
  const [, year, month, day] = match;
  if (day) return `${year}-${month}-${day}`;
  if (month) return end ? `${year}-${month}-31` : `${year}-${month}-01`;
  return end ? `${year}-12-31` : `${year}-01-01`;
}

export function parseQuery(input: string): ParsedQuery {
  const filters: QueryFilters = { authors: [], venues: [], categories: [] };
  const described: string[] = [];
  const text = input.replace(
    FILTER,
    (_whole, rawName: string, double?: string, single?: string, bare?: string) => {
      const name = rawName.toLowerCase();
      const value = (double ?? single ?? bare ?? "").trim();
      if (!value) return " ";
      switch (name) {
        case "author":
        case "by":
          filters.authors.push(foldText(value));
          described.push(`author: ${value}`);
          break;
        case "venue":
        case "at":
          filters.venues.push(foldText(value));
          described.push(`venue: ${value}`);
          break;
        case "category":
        case "cat":
          filters.categories.push(value.toLowerCase());
          described.push(`category: ${value}`);
          break;
        case "year": {
          const range = value.match(/^(\d{4})(?:\s*(?:-|\.\.)\s*(\d{4}))?$/);
          if (!range)
            throw new UserError(
              "bad_input",
              `"${value.slice(0, 20)}" is not a year.`,
              "Use year:2023 or year:2021-2023.",
            );
          filters.yearFrom = Number(range[1]);
          filters.yearTo = Number(range[2] ?? range[1]);
          described.push(`year: ${value}`);
          break;
        }
        case "before":
        case "until":
          filters.before = dateBound(value, name, false);
          described.push(`before: ${value}`);
          break;
        default:
          filters.after = dateBound(value, name, true);
          described.push(`after: ${value}`);
      }
      return " ";
    },
  );
  return { text: text.replace(/["']/g, " ").replace(/\s+/g, " ").trim(), filters, described };
}

export function hasFilters(filters: QueryFilters): boolean {
  return Boolean(
    filters.authors.length ||
      filters.venues.length ||
      filters.categories.length ||
      filters.yearFrom ||
      filters.before ||
      filters.after,
  );
}

/** Year from the publication date, or from the venue ("ICML 2023") when the date is missing. */
function yearOf(paper: Paper): number | undefined {
  const venueYear = paper.venue?.match(/(?:19|20)\d{2}/)?.[0];
  return paperYear(paper) ?? (venueYear ? Number(venueYear) : undefined);
}

export function matchesFilters(paper: Paper, filters: QueryFilters): boolean {
  if (filters.authors.length) {
    const authors = paper.authors.map(foldText);
    if (!filters.authors.every((wanted) => authors.some((author) => author.includes(wanted)))) return false;
  }
  if (filters.venues.length) {
    const venue = foldText(paper.venue ?? "");
    if (!filters.venues.every((wanted) => venue.includes(wanted))) return false;
  }
  if (filters.categories.length) {
    const categories = paper.categories.map((category) => category.toLowerCase());
    if (
      !filters.categories.every((wanted) =>
        categories.some((category) => category === wanted || category.startsWith(`${wanted}.`)),
      )
    ) {
      return false;
    }
  }
  if (filters.yearFrom !== undefined) {
    const year = yearOf(paper);
    if (year === undefined || year < filters.yearFrom || year > (filters.yearTo ?? filters.yearFrom))
      return false;
  }
  if (filters.before && !(paper.published && paper.published < filters.before)) return false;
  if (filters.after && !(paper.published && paper.published > filters.after)) return false;
  return true;
}
