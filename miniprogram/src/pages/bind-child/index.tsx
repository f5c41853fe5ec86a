import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Input, Text, View } from '@tarojs/components';
import { isApiError } from '../../services/api-error';
import { bindChild, type BindChildInput } from '../../services/children';
import { routes } from '../../routes';
import { describeError, fieldErrors, isSessionExpired, showError } from '../../ui/show-error';
import './index.scss';

type Field = keyof BindChildInput;

const FIELDS: { key: Field; label: string; placeholder: string; maxlength: number }[] = [
  { key: 'schoolCode', label: '学校代码', placeholder: '请输入学校提供的学校代码', maxlength: 16 },
  { key: 'studentNo', label: '学号', placeholder: '请输入孩子的学号', maxlength: 32 },
  { key: 'studentName', label: '学生姓名', placeholder: '请输入孩子的姓名', maxlength: 30 },
];

const EMPTY: BindChildInput = { schoolCode: '', studentNo: '', studentName: '' };

function validate(input: BindChildInput): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  if (!input.schoolCode) errors.schoolCode = '请输入学校代码';
  if (!input.studentNo) errors.studentNo = '请输入学号';
  if (!input.studentName) errors.studentName = '请输入学生姓名';
  return errors;
}

function leaveToHome() {
  // Opened from the home page: go back to it (it reloads on show). Opened directly: relaunch it.
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack();
  else void Taro.reLaunch({ url: routes.home() });
}

export default function BindChildPage() {
  const [form, setForm] = useState<BindChildInput>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [serverError, setServerError] = useState<{ title: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const update = (key: Field, value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };

  const submit = async () => {
    if (busy) return;
    const input: BindChildInput = {
      schoolCode: form.schoolCode.trim(),
      studentNo: form.studentNo.trim(),
      studentName: form.studentName.trim(),
    };
    const localErrors = validate(input);
    setErrors(localErrors);
    setServerError(null);
    if (Object.keys(localErrors).length > 0) return;

    setBusy(true);
    try {
      await bindChild(input);
      void Taro.showToast({ title: '绑定成功', icon: 'success', duration: 1500 });
      setTimeout(leaveToHome, 1200);
    } catch (err) {
      if (isSessionExpired(err)) {
        showError(err);
        return;
      }
      const perField = fieldErrors(err);
      if (Object.keys(perField).length > 0) setErrors(perField as Partial<Record<Field, string>>);
      const rateLimited = isApiError(err) && err.status === 429;
      setServerError({
        title: rateLimited ? '操作过于频繁' : '绑定未成功',
        message: describeError(err, '绑定失败，请稍后重试'),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='page bind-child'>
      <View className='bind-child__intro'>
        <Text className='bind-child__title'>填写孩子信息</Text>
        <Text className='bind-child__subtitle'>请填写学校通知中的学校代码，以及孩子的学号和姓名</Text>
      </View>

      {serverError && (
        <View className='bind-child__alert'>
          <Text className='bind-child__alert-title'>{serverError.title}</Text>
          <Text className='bind-child__alert-message'>{serverError.message}</Text>
        </View>
      )}

      <View className='bind-child__form'>
        {FIELDS.map(({ key, label, placeholder, maxlength }) => (
          <View key={key} className={`bind-child__field${errors[key] ? ' bind-child__field--invalid' : ''}`}>
            <Text className='bind-child__label'>{label}</Text>
            <Input
              className='bind-child__input'
              value={form[key]}
              placeholder={placeholder}
              placeholderClass='bind-child__placeholder'
              maxlength={maxlength}
              onInput={(e) => update(key, e.detail.value)}
            />
            {errors[key] && <Text className='bind-child__error'>{errors[key]}</Text>}
          </View>
        ))}
      </View>

      <Button className={`btn btn--primary bind-child__submit${busy ? ' btn--disabled' : ''}`} loading={busy} disabled={busy} onClick={submit}>
        确认绑定
      </Button>
      <Text className='bind-child__note'>为保护孩子信息，信息不匹配时不会提示具体哪一项有误，请仔细核对后再试</Text>
    </View>
  );
}
