import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from '../electron/common/api/securityPolicy.js';

/** Directives browsers ignore (with a console warning) when a policy comes from a meta tag. */
const HEADER_ONLY_DIRECTIVES = ['frame-ancestors', 'report-uri', 'sandbox'];

/**
 * The hosts send CONTENT_SECURITY_POLICY as a header; the meta tag holds the
 * same policy so a page loaded any other way (a file:// preview, say) is no
 * less strict. Nothing in the page needs inline scripts or eval: Monaco, xterm
 * and their workers load from the bundle.
 */
const META_POLICY = CONTENT_SECURITY_POLICY.split(';')
  .map((d) => d.trim())
  .filter((d) => d && !HEADER_ONLY_DIRECTIVES.includes(d.split(/\s+/)[0]!))
  .join('; ');

/**
 * Adds the policy to the built page only: the dev server injects an inline
 * React Fast Refresh preamble that a strict script-src would block, leaving a
 * blank page during `vite dev`.
 */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'pinwheel-csp-meta',
    apply: 'build',
    transformIndexHtml() {
      return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: META_POLICY }, injectTo: 'head-prepend' }];
    },
  };
}

const rendererRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: rendererRoot,
  // Electron loads the page through its own protocol (or file://), so every asset URL must be relative.
  base: './',
  plugins: [react(), contentSecurityPolicyMeta()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Monaco alone is a few megabytes; the app is loaded from disk, not a network.
    chunkSizeWarningLimit: 6000,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod 4 places /*@__PURE__*/ notes where Rollup cannot use them; harmless, but it buried real warnings.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) return;
        warn(warning);
      },
    },
  },
  worker: {
    format: 'iife',
  },
  server: {
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
  },
});
