// The site's stylesheet. Logical properties (inline/block) only, so one sheet serves right-to-left
// and left-to-right pages; system font stacks that include good Arabic faces; no external fonts.
export const STYLES = `
:root {
  --ink: #1b1b1f; --muted: #55565e; --paper: #fdfcf9; --rule: #dedbd2; --accent: #9b1c1c;
  --link: #0b4f8a; --max: 72rem; --measure: 42rem;
  --sans: system-ui, -apple-system, "Segoe UI", "Noto Sans Arabic", "Noto Naskh Arabic", Tahoma, "Geeza Pro", "Arabic UI Text", Arial, sans-serif;
  --serif: "Noto Naskh Arabic", "Amiri", "Traditional Arabic", "Times New Roman", Georgia, serif;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root { --ink: #ecebe6; --muted: #b2b1aa; --paper: #15161a; --rule: #34353c; --accent: #f08080; --link: #8cc4ff; }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--paper); color: var(--ink); font-family: var(--sans); font-size: 1.0625rem; line-height: 1.7; overflow-wrap: anywhere; }
:lang(ar) body, body:lang(ar) { font-size: 1.125rem; line-height: 1.9; }
a { color: var(--link); text-underline-offset: 0.2em; }
a:focus-visible, summary:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; border-radius: 2px; }
img { max-inline-size: 100%; block-size: auto; }
.skip-link { position: absolute; inset-inline-start: 0.5rem; inset-block-start: -3rem; padding: 0.5rem 1rem; background: var(--ink); color: var(--paper); z-index: 10; }
.skip-link:focus { inset-block-start: 0.5rem; }
.masthead { border-block-end: 3px double var(--rule); padding-block: 1rem; }
.masthead-inner, .site-footer-inner, .page { max-inline-size: var(--max); margin-inline: auto; padding-inline: 1rem; }
.masthead-inner { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 0.5rem 1.5rem; }
.brand { font-family: var(--serif); font-size: 2.25rem; font-weight: 700; color: var(--ink); text-decoration: none; line-height: 1.2; }
.tagline { margin: 0; color: var(--muted); font-size: 0.95rem; }
.page { padding-block: 1.5rem 3rem; display: grid; gap: 2.5rem; }
@media (min-width: 60rem) { .page.with-aside { grid-template-columns: minmax(0, 1fr) 18rem; } }
.kicker { margin: 0 0 0.25rem; font-size: 0.9rem; font-weight: 700; color: var(--accent); }
.kicker a { color: inherit; text-decoration: none; }
h1, h2, h3 { font-family: var(--serif); line-height: 1.35; margin-block: 1.5em 0.5em; }
.article-title { font-size: clamp(1.75rem, 1.2rem + 2.4vw, 2.75rem); margin-block: 0 0.5rem; }
.lead { font-size: 1.2em; color: var(--muted); margin-block: 0 1rem; max-inline-size: var(--measure); }
.byline { color: var(--muted); font-size: 0.9rem; margin-block: 0 1.25rem; display: flex; flex-wrap: wrap; gap: 0 1rem; }
.article { max-inline-size: var(--measure); }
.article-body { font-family: var(--serif); }
.article-body p { margin-block: 0 1.1em; }
.article-body blockquote { margin-inline: 0; padding-inline-start: 1rem; border-inline-start: 4px solid var(--rule); color: var(--muted); }
.article-body ul, .article-body ol { padding-inline-start: 1.5rem; }
.article-body pre { overflow-x: auto; }
.figure { margin: 0 0 1.5rem; }
.figure img { display: block; inline-size: 100%; background: var(--rule); }
.figure figcaption { font-size: 0.9rem; color: var(--muted); padding-block: 0.5rem; border-block-end: 1px solid var(--rule); }
.figure .missing-photo { display: block; padding: 1rem; background: color-mix(in srgb, var(--rule) 50%, transparent); color: var(--muted); font-size: 0.85rem; text-align: center; }
.credit { white-space: nowrap; }
.tags { list-style: none; padding: 0; margin: 2rem 0 0; display: flex; flex-wrap: wrap; gap: 0.5rem; }
.tags a { display: inline-block; padding: 0.1rem 0.75rem; border: 1px solid var(--rule); border-radius: 1rem; text-decoration: none; font-size: 0.9rem; }
.teasers { list-style: none; margin: 0; padding: 0; }
.teaser { padding-block: 1rem; border-block-end: 1px solid var(--rule); }
.teaser h2 { font-size: 1.35rem; margin-block: 0 0.25rem; }
.teaser h2 a { color: var(--ink); text-decoration: none; }
.teaser h2 a:hover { text-decoration: underline; }
.teaser p { margin: 0 0 0.25rem; color: var(--muted); }
.teaser time { font-size: 0.85rem; color: var(--muted); }
.aside h2 { font-size: 1.15rem; margin-block: 0 0.5rem; padding-block-end: 0.25rem; border-block-end: 2px solid var(--accent); }
.aside ol { margin: 0; padding-inline-start: 1.25rem; }
.aside li { margin-block-end: 0.5rem; }
.pagination { display: flex; justify-content: space-between; gap: 1rem; margin-block-start: 1.5rem; }
.site-footer { border-block-start: 1px solid var(--rule); color: var(--muted); font-size: 0.85rem; padding-block: 1.5rem; }
.site-footer-inner p { margin-block: 0 0.5rem; }
.feeds { display: flex; flex-wrap: wrap; gap: 0 1rem; }
@media print {
  .masthead nav, .aside, .site-footer .feeds, .skip-link, .pagination { display: none; }
  body { background: #fff; color: #000; }
  a { color: inherit; }
}
`
