/**
 * Splits pasted or dropped text into distinct http(s)/ftp links, keeping their order. Punctuation that ends a
 * sentence around a link ("see https://a/x.mp4, then …") is not part of it.
 */
export function parseUrls(text: string): string[] {
  const found = text.match(/(?:https?|ftp):\/\/[^\s"'<>]+/gi) ?? [];
  return [...new Set(found.map((url) => url.replace(/[.,;:!?]+$/, '')))];
}
