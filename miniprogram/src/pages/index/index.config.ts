export default definePageConfig({
  navigationBarTitleText: '校园缴费',
  enablePullDownRefresh: true,
});
