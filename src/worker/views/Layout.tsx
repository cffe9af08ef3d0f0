// Request step 5 (views): the page shell every HTML page shares — <html lang dir>, head metadata
// (canonical, description, share tags, feed autodiscovery, the hashed stylesheet), masthead with
// the sections, and footer. The chrome speaks the site language even when the page (an English
// article, say) is in another one. No inline script or style: the CSP forbids both.
import type { Child } from 'hono/jsx'
import type { StoredArticle } from '../../model/article'
import { textDirection } from '../language'
import type { SiteConfig } from '../../model/site'
import { FEEDS_DIRECTORY_PATH, listPath } from '../../model/urls'
import { ShareTags } from './share'
import { STYLESHEET_PATH } from './stylesheet'
import { PAPER } from './styles'
import { uiStrings } from './ui'

export interface FeedLink {
  title: string
  href: string
  type: string
}

export interface LayoutProps {
  site: SiteConfig
  /** Document title, already including the site name where wanted. */
  title: string
  /** The title shared on other sites (OpenGraph, Twitter): without the site name. */
  shareTitle?: string | undefined
  description: string
  /** Absolute canonical URL. */
  canonical: string
  /** Language of the page's main content. */
  language: string
  /** Feeds for autodiscovery (<link rel="alternate">). */
  feeds: readonly FeedLink[]
  /** Sections for the masthead's navigation, in order; none gives just the front page link. */
  sections?: readonly string[] | undefined
  /** The article on an article page: share tags and JSON-LD describe it. */
  article?: StoredArticle | undefined
  /** `<meta name="robots">`, for pages search engines must not index. */
  robots?: string | undefined
  children: Child
}

/** The canonical URL's path, to mark the navigation link of the page being shown. */
function currentPath(site: SiteConfig, canonical: string): string | null {
  if (!canonical.startsWith(site.url)) return null
  return canonical.slice(site.url.length).split('?')[0] || '/'
}

function SiteNav(props: { site: SiteConfig; sections: readonly string[]; current: string | null }) {
  const ui = uiStrings(props.site.language)
  const links = [
    { href: '/', label: ui.home },
    ...props.sections.map((section) => ({ href: listPath({ kind: 'section', name: section }), label: section })),
  ]
  return (
    <nav class="site-nav" aria-label={ui.sections}>
      <ul>
        {links.map((link) => (
          <li>
            {/* dir="auto": a Latin section name keeps its own order inside Arabic chrome. */}
            <a href={link.href} dir="auto" aria-current={link.href === props.current ? 'page' : undefined}>
              {link.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}

export function Layout(props: LayoutProps) {
  const { site } = props
  const ui = uiStrings(site.language)
  const pageDir = textDirection(props.language)
  // Chrome elements repeat the site's lang/dir only when the page's differ.
  const chrome =
    props.language === site.language ? {} : { lang: site.language, dir: textDirection(site.language) }
  return (
    <html lang={props.language} dir={pageDir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* Before the stylesheet arrives, the browser already paints in the reader's scheme. */}
        <meta name="color-scheme" content="light dark" />
        <meta name="theme-color" content={PAPER.light} media="(prefers-color-scheme: light)" />
        <meta name="theme-color" content={PAPER.dark} media="(prefers-color-scheme: dark)" />
        <title>{props.title}</title>
        <meta name="description" content={props.description} />
        {props.robots ? <meta name="robots" content={props.robots} /> : null}
        <link rel="canonical" href={props.canonical} />
        <link rel="stylesheet" href={STYLESHEET_PATH} />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        {props.feeds.map((feed) => (
          <link rel="alternate" type={feed.type} title={feed.title} href={feed.href} />
        ))}
        <ShareTags
          site={site}
          title={props.shareTitle ?? props.title}
          description={props.description}
          canonical={props.canonical}
          language={props.language}
          article={props.article}
        />
      </head>
      <body>
        <a class="skip-link" href="#main" {...chrome}>
          {ui.skipToContent}
        </a>
        <header class="masthead" {...chrome}>
          <div class="wrap">
            <div class="masthead-top">
              <a class="brand" href="/">
                {site.title}
              </a>
              <p class="tagline">{site.description}</p>
            </div>
            <SiteNav site={site} sections={props.sections ?? []} current={currentPath(site, props.canonical)} />
          </div>
        </header>
        {props.children}
        <footer class="site-footer" {...chrome}>
          <div class="wrap">
            {site.rights ? <p class="rights">{site.rights}</p> : null}
            <p class="feeds">
              <span>{ui.feeds}:</span>
              {props.feeds.map((feed) => (
                <a href={feed.href} type={feed.type} dir="auto">
                  {feed.title}
                </a>
              ))}
              <a href={FEEDS_DIRECTORY_PATH}>{ui.allFeeds}</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  )
}
