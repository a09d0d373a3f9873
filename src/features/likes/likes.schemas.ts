import { Type } from 'typebox';

export const ErrorSchema = Type.Object({ detail: Type.Unknown() }, { additionalProperties: true });

export const RunIdBodySchema = Type.Object({
  id: Type.String({ pattern: '^[0-9a-f]{24}$', maxLength: 24, description: 'The run id: 24 lowercase hexadecimal characters' }),
});

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const LikedItemSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  poster_url: NullableString,
  location: NullableString,
  start_date: Type.String(),
  end_date: Type.String({ description: 'YYYY.MM.DD or 상시공연 (open run)' }),
  category: NullableString,
  onSale: Type.Boolean(),
  isExclusive: Type.Boolean(),
  is_liked: Type.Literal(true),
});

export const UnlikedSchema = Type.String({ description: 'The run id, as a JSON string' });

export const LikedRunsSchema = Type.Array(
  Type.Object({
    id: Type.String(),
    title: Type.String(),
    poster_url: NullableString,
    location: NullableString,
    open_date: Type.Union([Type.String(), Type.Null()], { description: 'Ticket sale opening, as stored (as in /detail)' }),
    end_date: Type.String({ description: 'YYYY.MM.DD or 상시공연 (open run)' }),
  }),
);
