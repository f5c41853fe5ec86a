export default defineAppConfig({
  pages: ['pages/index/index', 'pages/me/index'],
  // Secondary pages live in subpackages so the main package stays small.
  subPackages: [
    { root: 'pages/bind-child', pages: ['index'] },
    { root: 'pages/bills', pages: ['index'] },
    { root: 'pages/pay-result', pages: ['index'] },
    { root: 'pages/checkout', pages: ['index'] },
    { root: 'pages/bill-detail', pages: ['index'] },
    { root: 'pages/consent', pages: ['index'] },
  ],
  preloadRule: {
    'pages/index/index': { network: 'all', packages: ['pages/bills'] },
    'pages/bills/index': { network: 'all', packages: ['pages/pay-result', 'pages/checkout'] },
  },
  window: {
    navigationBarTitleText: '校园缴费',
    // 'default' is weapp's own default; on h5 it turns on Taro's title bar (with back/home buttons).
    navigationStyle: 'default',
    navigationBarBackgroundColor: '#f4f6fa',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f4f6fa',
    backgroundTextStyle: 'dark',
  },
  lazyCodeLoading: 'requiredComponents',
});
