// The home page rendered on its own (no KV, no HTTP): the HTML counterpart of the feed renderers
// in the render table, with the props the home route gives it.
import type { StoredArticle } from '../src/model/article'
import { autodiscoveryLinks } from '../src/worker/views/feed-links'
import type { SiteConfig } from '../src/model/site'
import { withPage } from '../src/model/urls'
import { renderPage } from '../src/worker/views/document'
import { HomePage } from '../src/worker/views/ListPage'

export const renderHome = (site: SiteConfig, articles: readonly StoredArticle[]) =>
  renderPage(
    <HomePage
      site={site}
      canonical={`${site.url}/`}
      feeds={autodiscoveryLinks(site)}
      articles={articles}
      paging={{ page: 1, pageCount: 5000, pathOf: (n) => withPage('/', n) }}
    />,
  )
