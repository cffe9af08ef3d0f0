// Step 5 (renderers): the page shell every HTML page shares — <html lang dir>, head metadata,
// feed autodiscovery, masthead and footer. The chrome speaks the site language even when the
// page (an English article, say) is in another one.
import type { Child } from 'hono/jsx'
import { textDirection } from '../language'
import type { SiteConfig } from '../site'
import { STYLES } from './styles'
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
  description: string
  /** Absolute canonical URL. */
  canonical: string
  /** Language of the page's main content. */
  language: string
  /** Feeds for autodiscovery (<link rel="alternate">). */
  feeds: readonly FeedLink[]
  children: Child
}

export function Layout(props: LayoutProps) {
  const { site } = props
  const ui = uiStrings(site.language)
  const siteDir = textDirection(site.language)
  const pageDir = textDirection(props.language)
  // Chrome elements repeat the site's lang/dir only when the page's differ.
  const chrome = props.language === site.language ? {} : { lang: site.language, dir: siteDir }
  return (
    <html lang={props.language} dir={pageDir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <meta name="description" content={props.description} />
        <link rel="canonical" href={props.canonical} />
        {props.feeds.map((feed) => (
          <link rel="alternate" type={feed.type} title={feed.title} href={feed.href} />
        ))}
        <style dangerouslySetInnerHTML={{ __html: STYLES }} />
      </head>
      <body>
        <a class="skip-link" href="#main" {...chrome}>
          {ui.skipToContent}
        </a>
        <header class="masthead" {...chrome}>
          <div class="masthead-inner">
            <a class="brand" href="/">
              {site.title}
            </a>
            <p class="tagline">{site.description}</p>
          </div>
        </header>
        {props.children}
        <footer class="site-footer" {...chrome}>
          <div class="site-footer-inner">
            {site.rights ? <p class="rights">{site.rights}</p> : null}
            <p class="feeds">
              <span>{ui.feeds}:</span>
              {props.feeds.map((feed) => (
                <a href={feed.href} type={feed.type}>
                  {feed.title}
                </a>
              ))}
            </p>
          </div>
        </footer>
      </body>
    </html>
  )
}
