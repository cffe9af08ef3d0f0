// The home page rendered on its own (no KV, no HTTP): the HTML counterpart of the feed renderers
// in the render table, with the props the home route gives it.
import type { StoredArticle } from '../src/article'
import { autodiscoveryLinks } from '../src/routes/lists'
import type { SiteConfig } from '../src/site'
import { withPage } from '../src/urls'
import { HomePage, renderPage } from '../src/views/pages'

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
