import fs from 'node:fs';
import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import type { IH5Config } from '@tarojs/taro/types/compile';

/**
 * Taro 4.2 build configuration for both targets.
 *
 *   npm run build:weapp -w miniprogram  → dist/weapp  (opened by WeChat DevTools via /project.config.json)
 *   npm run build:h5 -w miniprogram     → dist/h5     (served by the server under /h5/)
 *
 * The API base is fixed at build time and read by src/services/request.ts as
 * process.env.TARO_APP_API_BASE:
 *   - h5: same origin, `/api/v1` (the server serves the H5 build and the API);
 *   - weapp: TARO_APP_API_BASE from the environment, default http://127.0.0.1:3000/api/v1.
 */

const DEFAULT_WEAPP_API_BASE = 'http://127.0.0.1:3000/api/v1';
const H5_API_BASE = '/api/v1';

/** The workspace package's TypeScript source, which Taro must transpile (it only compiles src/ by default). */
const sharedSourceDir = path.resolve(__dirname, '../../shared/src');

/**
 * npm installs @tarojs/plugin-framework-react inside miniprogram/node_modules
 * (its optional vite 4 peer clashes with the root's vite), but Taro's own
 * packages, hoisted to the root node_modules, import
 * `@tarojs/plugin-framework-react/dist/runtime`. Point them at this
 * workspace's copy, wherever npm put it.
 */
const frameworkReactDir = path.dirname(
  require.resolve('@tarojs/plugin-framework-react/package.json', { paths: [path.resolve(__dirname, '..')] }),
);

/**
 * @campuspay/shared declares no `sideEffects`, so importing a money helper
 * from its index would keep every module it re-exports, zod schemas included.
 * Its modules have no side effects a bundle needs (business-day's dayjs.extend
 * runs whenever that module is actually used), so let webpack drop unused ones.
 */
type WebpackChain = Parameters<NonNullable<IH5Config['webpackChain']>>[0];

function markSharedSideEffectFree(chain: WebpackChain): void {
  chain.module.rule('campuspay-shared-side-effect-free').test(/\.ts$/).include.add(sharedSourceDir).end().set('sideEffects', false);
}

function readVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

function apiBaseFor(target: string | undefined): string {
  if (target === 'h5') return H5_API_BASE;
  const fromEnv = process.env.TARO_APP_API_BASE?.trim();
  return (fromEnv ? fromEnv : DEFAULT_WEAPP_API_BASE).replace(/\/+$/, '');
}

export default defineConfig<'webpack5'>(async () => {
  const target = process.env.TARO_ENV;
  const config: UserConfigExport<'webpack5'> = {
    projectName: 'campuspay-miniprogram',
    date: '2025-11-22',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${target}`,
    plugins: [],
    alias: {
      '@tarojs/plugin-framework-react': frameworkReactDir,
    },
    env: {
      TARO_APP_API_BASE: JSON.stringify(apiBaseFor(target)),
      TARO_APP_VERSION: JSON.stringify(readVersion()),
    },
    defineConstants: {},
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      compile: { include: [sharedSourceDir] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      // Keep the main package small: shared code used only by subpackages stays in them.
      optimizeMainPackage: { enable: true },
      webpackChain(chain) {
        markSharedSideEffectFree(chain);
      },
    },
    h5: {
      publicPath: '/h5/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: [sharedSourceDir] },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      webpackChain(chain) {
        markSharedSideEffectFree(chain);
        // Taro splits only initial chunks on h5, so every lazily loaded page
        // would carry its own copy of our services, components and shared
        // helpers. Let its `vendors`/`common` groups split async chunks too.
        const splitChunks: unknown = chain.optimization.get('splitChunks');
        if (splitChunks && typeof splitChunks === 'object') chain.optimization.splitChunks({ ...splitChunks, chunks: 'all' });
      },
    },
  };
  return config;
});
