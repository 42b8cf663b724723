/// The one-page UI: `Page/serve.html`, `serve.js` and `serve.css`, compiled into the binary
/// (`.embedInCode`). The page has no inline script: everything it shows comes from the JSON
/// API and is put in the DOM as text (`textContent`), never as markup.
enum ServePage {
    static let html = PackageResources.serve_html
    static let script = PackageResources.serve_js
    static let style = PackageResources.serve_css
}
