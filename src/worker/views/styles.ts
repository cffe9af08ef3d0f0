// The site's stylesheet text (served as a hashed static file, see stylesheet.ts). Logical
// properties only (inline/block, never left/right), so one sheet serves right-to-left and
// left-to-right pages; system font stacks with good Arabic faces; no external fonts. Arabic text
// never gets letter-spacing or text-transform: both break the joining of its letters.
/** Page background per colour scheme; also the browser's theme colour (Layout.tsx). */
export const PAPER = { light: '#fdfcf9', dark: '#15161a' } as const

export const STYLES = `:root {
  --ink: #1b1b1f; --muted: #50515a; --paper: ${PAPER.light}; --rule: #dedbd2; --accent: #9b1c1c;
  --link: #0b4f8a; --focus: #b4530a; --max: 72rem; --measure: 42rem;
  --sans: system-ui, -apple-system, "Segoe UI", "Noto Sans Arabic", "SF Arabic", "Geeza Pro", Tahoma, "DejaVu Sans", Arial, sans-serif;
  --serif: "Noto Naskh Arabic", "Amiri", "Traditional Arabic", "Times New Roman", Georgia, "DejaVu Serif", serif;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root { --ink: #ecebe6; --muted: #b5b4ad; --paper: ${PAPER.dark}; --rule: #3a3b42; --accent: #f29393; --link: #8cc4ff; --focus: #ffb366; }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--paper); color: var(--ink); font-family: var(--sans); font-size: 1.0625rem; line-height: 1.65; overflow-wrap: anywhere; }
/* Arabic script needs room for its dots and marks; Latin text inside an Arabic page gets its own. */
[dir="rtl"] { line-height: 1.9; }
[dir="ltr"] { line-height: 1.65; }
a { color: var(--link); text-underline-offset: 0.25em; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px; }
img, video { max-inline-size: 100%; block-size: auto; }
h1, h2, h3, h4 { font-family: var(--serif); line-height: 1.4; margin-block: 1.5em 0.5em; }
.wrap { max-inline-size: var(--max); margin-inline: auto; padding-inline: 1rem; }

/* Skip link: off-screen until focused. */
.skip-link { position: absolute; inset-inline-start: 0.5rem; inset-block-start: -4rem; padding: 0.5rem 1rem; background: var(--ink); color: var(--paper); z-index: 10; }
.skip-link:focus { inset-block-start: 0.5rem; }

/* Masthead: the name, the tagline, the sections. */
.masthead { border-block-end: 1px solid var(--rule); }
.masthead-top { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 0.25rem 1.5rem; padding-block: 1.25rem 0.75rem; border-block-end: 3px solid var(--ink); }
.brand { font-family: var(--serif); font-size: clamp(2rem, 1.6rem + 2vw, 3rem); font-weight: 700; color: var(--ink); text-decoration: none; line-height: 1.2; }
.tagline { margin: 0; color: var(--muted); font-size: 0.95rem; }
.site-nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0 1.5rem; }
.site-nav a { display: inline-block; padding-block: 0.5rem; line-height: 1.5; color: var(--ink); font-weight: 600; text-decoration: none; border-block-end: 3px solid transparent; }
.site-nav a:hover { border-block-end-color: var(--rule); }
.site-nav a[aria-current="page"] { border-block-end-color: var(--accent); }

/* Page grid: the main column, and on wide screens a side column. */
.page { padding-block: 1.5rem 3rem; }
.with-aside { display: grid; gap: 2.5rem; }
@media (min-width: 60rem) { .with-aside { grid-template-columns: minmax(0, 1fr) 19rem; gap: 3rem; } }
.section-heading { font-size: 1.3rem; margin-block: 0 1rem; padding-block-end: 0.25rem; border-block-end: 2px solid var(--accent); }

/* Lists of articles: the newest leads across the page, the rest share rows where they fit. */
.teasers { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0 2rem; }
.teaser { flex: 1 1 19rem; padding-block: 1rem; border-block-end: 1px solid var(--rule); min-inline-size: 0; }
.teaser h2 { font-size: 1.3rem; margin-block: 0 0.35rem; }
.teaser h2 a { color: var(--ink); text-decoration: none; }
.teaser h2 a:hover { text-decoration: underline; }
.summary { margin: 0 0 0.35rem; color: var(--muted); }
.teaser.lead-story { flex-basis: 100%; }
.teaser.lead-story h2 { font-size: clamp(1.5rem, 1.2rem + 1.4vw, 2.2rem); }
.teaser.lead-story .summary { font-size: 1.1em; max-inline-size: var(--measure); }
/* Photos in lists: one 3:2 box whatever the file's shape (no shift while it loads; sizes in src/model/picture.ts). */
.teaser-photo { display: block; margin-block-end: 0.6rem; }
.teaser-photo img { display: block; inline-size: 100%; block-size: auto; aspect-ratio: 3 / 2; object-fit: cover; background: var(--rule); }
@media (min-width: 48rem) {
  .teaser.lead-story.with-photo { display: grid; grid-template-columns: 3fr 2fr; gap: 0 1.5rem; align-items: start; }
  .lead-story .teaser-photo { margin-block-end: 0; }
}
.meta { font-size: 0.875rem; color: var(--muted); }
.kicker { margin: 0 0 0.25rem; font-size: 0.9rem; font-weight: 700; color: var(--accent); }
.kicker a { color: inherit; text-decoration: none; }
.kicker a:hover { text-decoration: underline; }
.empty { color: var(--muted); }

/* The article. */
.article { max-inline-size: var(--measure); }
.article-title { font-size: clamp(1.75rem, 1.2rem + 2.4vw, 2.75rem); margin-block: 0 0.75rem; }
.lead { font-size: 1.1em; color: var(--muted); margin-block: 0 1rem; }
/* A page that says something about itself above the article (npm start's previews). */
.notice { margin-block: 1rem 0; padding: 0.75rem 1rem; border: 2px dashed var(--accent); border-radius: 4px; font-weight: 600; }
@media (min-width: 40rem) { .lead { font-size: 1.2em; } }
.byline { color: var(--muted); font-size: 0.9rem; margin-block: 0 1.5rem; padding-block: 0.5rem; border-block: 1px solid var(--rule); display: flex; flex-wrap: wrap; gap: 0 1.25rem; }
.figure { margin: 0 0 1.75rem; }
.figure picture, .figure img { display: block; inline-size: 100%; }
.figure img { background: var(--rule); }
.figure figcaption { font-size: 0.9rem; color: var(--muted); padding-block: 0.5rem; border-block-end: 1px solid var(--rule); }
.article-body picture, .article-body img { display: block; }
.credit { white-space: nowrap; }
.article-body { font-family: var(--serif); font-size: 1.125rem; }
.article-body p { margin-block: 0 1.1em; }
.article-body h2 { font-size: 1.45rem; }
.article-body h3 { font-size: 1.2rem; }
.article-body blockquote { margin-inline: 0; padding-inline-start: 1rem; border-inline-start: 4px solid var(--rule); color: var(--muted); }
.article-body ul, .article-body ol { padding-inline-start: 1.5rem; }
.article-body pre { overflow-x: auto; }
.article-body table { display: block; overflow-x: auto; }
.tags { list-style: none; padding: 0; margin: 2rem 0 0; display: flex; flex-wrap: wrap; gap: 0.5rem; }
.tags a { display: inline-block; padding: 0.15rem 0.85rem; border: 1px solid var(--rule); border-radius: 1rem; text-decoration: none; font-size: 0.9rem; }
.tags a:hover { border-color: var(--link); }
.related { margin-block-start: 2.5rem; max-inline-size: var(--measure); }
.related ul, .aside ol { list-style: none; margin: 0; padding: 0; }
.related li, .aside li { padding-block: 0.6rem; border-block-end: 1px solid var(--rule); }
.related a, .aside a { color: var(--ink); text-decoration: none; font-weight: 600; }
.related a:hover, .aside a:hover { text-decoration: underline; }
.related time, .aside time { display: block; }

/* Paging and the footer. */
.pagination { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 1rem; margin-block-start: 1.5rem; }
.pagination a { display: inline-block; padding: 0.4rem 1rem; border: 1px solid var(--rule); border-radius: 0.25rem; text-decoration: none; }
.message { max-inline-size: var(--measure); }
.message h1 { margin-block-start: 0; }
.withdrawn-title { font-family: var(--serif); font-size: 1.25rem; font-weight: 700; }
.site-footer { border-block-start: 3px solid var(--ink); color: var(--muted); font-size: 0.875rem; padding-block: 1.5rem; }
.site-footer p { margin-block: 0 0.5rem; }
.site-footer a { display: inline-block; padding-block: 0.25rem; }
.feeds { display: flex; flex-wrap: wrap; gap: 0 1rem; }
.directory { list-style: none; margin: 0 0 1.5rem; padding: 0; }
.directory li { padding-block: 0.4rem; border-block-end: 1px solid var(--rule); }
.list-website { margin-block: -0.5rem 1rem; color: var(--muted); }

@media print {
  :root { --ink: #000; --muted: #333; --paper: #fff; --rule: #999; --accent: #000; --link: #000; }
  body { font-size: 11pt; }
  .skip-link, .site-nav, .aside, .related, .tags, .pagination, .feeds { display: none; }
  .with-aside { display: block; }
  .page { padding-block: 1rem 0; }
  .article, .related { max-inline-size: none; }
  .article-body a[href^="http"]::after { content: " <" attr(href) ">"; font-size: 0.85em; }
  h1, h2, h3 { break-after: avoid; }
  figure, blockquote, .teaser { break-inside: avoid; }
}
`
