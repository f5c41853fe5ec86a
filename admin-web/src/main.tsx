import { createRoot } from 'react-dom/client';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'antd/dist/reset.css';
import './global.css';
import { App } from './app.tsx';

dayjs.locale('zh-cn');

const container = document.getElementById('root');
if (!container) throw new Error('#root not found in index.html');
createRoot(container).render(<App />);
