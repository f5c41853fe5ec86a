import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The server serves this build at /admin/ (falling back to index.html for
 * unknown /admin/* paths), and the API lives at /api/v1 on the same origin.
 * In development the API is proxied to the local server.
 */
const API_TARGET = 'http://127.0.0.1:3000';

/**
 * Big libraries get their own long-lived chunks. Earlier entries win: a group
 * also takes the dependencies of its modules, so base libraries come first
 * (otherwise pro-components would swallow the antd components it uses).
 */
const VENDOR_CHUNKS: ReadonlyArray<{ name: string; test: RegExp }> = [
  {
    name: 'react',
    test: /[\\/]node_modules[\\/](react|react-dom|react-is|scheduler|react-router|react-router-dom|@remix-run)[\\/]/,
  },
  {
    // dayjs travels with antd (its pickers use it); the app sets its locale at start.
    name: 'antd',
    test: /[\\/]node_modules[\\/](antd|dayjs|@ant-design[\\/](cssinjs|cssinjs-utils|colors|fast-color|react-slick)|@rc-component|rc-[\w-]+)[\\/]/,
  },
  // The shared contract's zod schemas validate answers at the edge.
  { name: 'zod', test: /[\\/]node_modules[\\/]zod[\\/]/ },
  { name: 'antd-icons', test: /[\\/]node_modules[\\/]@ant-design[\\/](icons|icons-svg)[\\/]/ },
  { name: 'echarts', test: /[\\/]node_modules[\\/](echarts|zrender)[\\/]/ },
  { name: 'pro-components', test: /[\\/]node_modules[\\/]@ant-design[\\/]pro-[\w-]+[\\/]/ },
];

export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': { target: API_TARGET, changeOrigin: true },
    },
  },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    proxy: {
      '/api': { target: API_TARGET, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // antd is ~1.33 MB minified (~410 kB gzip): ProComponents' field registry
    // pulls in the pickers, and the organisation/roster pages added Tree,
    // TreeSelect, Upload, Steps, Statistic and AutoComplete (the chunk is
    // shared and long-cached). Anything beyond this deserves a look.
    chunkSizeWarningLimit: 1400,
    rolldownOptions: {
      output: {
        // Rolldown's successor to Rollup's `manualChunks`.
        codeSplitting: {
          groups: VENDOR_CHUNKS.map((chunk, index) => ({
            name: chunk.name,
            test: chunk.test,
            priority: VENDOR_CHUNKS.length - index,
          })),
        },
      },
    },
  },
});
