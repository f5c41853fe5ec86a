import { Button, Text, View } from '@tarojs/components';
import './index.scss';

export interface StateBlockProps {
  kind: 'loading' | 'empty' | 'error';
  title: string;
  description?: string;
  actionText?: string;
  onAction?: () => void;
}

/** Loading, empty and error states of a list, with an optional action. */
export default function StateBlock({ kind, title, description, actionText, onAction }: StateBlockProps) {
  return (
    <View className={`state-block state-block--${kind}`}>
      <View className='state-block__icon'>
        {kind === 'loading' ? <View className='state-block__spinner' /> : <Text>{kind === 'error' ? '!' : '∅'}</Text>}
      </View>
      <Text className='state-block__title'>{title}</Text>
      {description && <Text className='state-block__description'>{description}</Text>}
      {actionText && onAction && (
        <Button className='btn btn--ghost btn--small state-block__action' onClick={onAction}>
          {actionText}
        </Button>
      )}
    </View>
  );
}
