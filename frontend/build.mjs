// Bundles frontend/*.js and *.css into src/balie/web/static/web/dist/ (git-ignored).
// Third-party packages come from node_modules (npm registry, pinned in package-lock.json).
import * as esbuild from "esbuild";

const watch = process.argv.includes("--watch");
const options = {
  entryPoints: ["frontend/app.js", "frontend/app.css", "frontend/widget.js"],
  outdir: "src/balie/web/static/web/dist",
  bundle: true,
  minify: !watch,
  sourcemap: watch,
  target: ["es2020", "chrome100", "firefox100", "safari15"],
  logLevel: "info",
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  await esbuild.build(options);
}
