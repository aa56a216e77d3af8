import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The policy the packaged page runs under. The web host sends the same policy
 * as a header; the meta tag makes Electron's file:// load honour it too.
 * Nothing here may need inline scripts or eval: Monaco, xterm and their
 * workers all load from the bundle.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
].join('; ');

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
      return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }];
    },
  };
}

const rendererRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: rendererRoot,
  // Electron loads the page from file://, so every asset URL must be relative.
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
