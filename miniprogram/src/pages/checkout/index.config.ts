export default definePageConfig({
  navigationBarTitleText: '分笔支付',
});
