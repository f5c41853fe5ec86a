export default definePageConfig({
  navigationBarTitleText: '银行联系授权',
});
