// Several-word searches typed by a user (Go to Event…): each word must occur, in any order,
// case-insensitively.

/** The lowercase words of a search, empty for blank input. */
export function searchTerms(value: string): string[] {
  return value.toLowerCase().split(/\s+/).filter((t) => t !== '');
}

/** Whether every term occurs in `text` (already lowercase). */
export function matchesAllTerms(text: string, terms: readonly string[]): boolean {
  return terms.every((t) => text.includes(t));
}
