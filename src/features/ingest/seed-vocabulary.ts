/** Word lists for the synthetic catalogue. Venue names are real; everything else is made up. */

export const CATEGORY_SHARES: readonly [string, number][] = [
  ['콘서트', 26], ['뮤지컬', 21], ['연극', 19], ['클래식', 11], ['전시/행사', 10],
  ['아동/가족', 5], ['무용', 4], ['뮤지컬/연극', 4],
];

export const REGION_SHARES: readonly [string, number][] = [
  ['서울', 46], ['수도권', 17], ['경상', 16], ['전라', 7], ['충청', 7], ['강원', 4], ['제주', 3],
];

/**
 * What a venue is for: the demo puts each category only where such shows are held (no play in a
 * dome, no concert in a museum). `hall`: large theatres and multi-purpose halls; `theater`: small
 * and mid-size theatres (대학로); `concerthall`: classical halls; `arena`: arenas and domes;
 * `club`: live clubs; `gallery`: museums and exhibition halls.
 */
export type VenueKind = 'hall' | 'theater' | 'concerthall' | 'arena' | 'club' | 'gallery';

/** A real venue, the city a title names it by, and what it hosts. */
export interface Venue { name: string; city: string; kinds: readonly VenueKind[] }

const v = (name: string, city: string, ...kinds: VenueKind[]): Venue => ({ name, city, kinds });

export const VENUES: Record<string, readonly Venue[]> = {
  서울: [
    v('예술의전당 오페라극장', '서울', 'hall'), v('예술의전당 콘서트홀', '서울', 'concerthall'), v('예술의전당 CJ 토월극장', '서울', 'theater', 'hall'),
    v('세종문화회관 대극장', '서울', 'hall'), v('블루스퀘어 신한카드홀', '서울', 'hall'), v('샤롯데씨어터', '서울', 'hall'),
    v('충무아트센터 대극장', '서울', 'hall'), v('디큐브 링크아트센터', '서울', 'hall'), v('LG아트센터 서울 LG SIGNATURE 홀', '서울', 'hall'),
    v('올림픽공원 KSPO DOME', '서울', 'arena'), v('올림픽공원 올림픽홀', '서울', 'arena'), v('롯데콘서트홀', '서울', 'concerthall'),
    v('국립극장 해오름극장', '서울', 'hall'), v('고척스카이돔', '서울', 'arena'), v('대학로 아트원씨어터 1관', '서울', 'theater'),
    v('대학로 TOM 1관', '서울', 'theater'), v('예스24 스테이지 1관', '서울', 'theater'), v('홍익대 대학로 아트센터 대극장', '서울', 'theater'),
    v('노들섬 라이브하우스', '서울', 'club'), v('무신사 개러지', '서울', 'club'), v('드림아트센터 2관', '서울', 'theater'),
    v('국립중앙박물관 특별전시실', '서울', 'gallery'), v('동대문디자인플라자(DDP)', '서울', 'gallery'), v('마포아트센터 아트홀맥', '서울', 'hall'),
    v('예술의전당 한가람미술관', '서울', 'gallery'), v('세종문화회관 세종미술관', '서울', 'gallery'),
  ],
  수도권: [
    v('고양아람누리 아람극장', '고양', 'hall'), v('성남아트센터 오페라하우스', '성남', 'hall'), v('인천문화예술회관 대공연장', '인천', 'hall'),
    v('킨텍스 제1전시장', '고양', 'gallery', 'arena'), v('수원SK아트리움 대공연장', '수원', 'hall'), v('부천아트센터 콘서트홀', '부천', 'concerthall'),
    v('인스파이어 아레나', '인천', 'arena'), v('경기아트센터 대극장', '수원', 'hall'), v('의정부예술의전당 대극장', '의정부', 'hall'),
    v('안산문화예술의전당 해돋이극장', '안산', 'hall'), v('용인포은아트홀', '용인', 'hall'), v('수원시립미술관', '수원', 'gallery'),
  ],
  경상: [
    v('부산 드림씨어터', '부산', 'hall'), v('부산문화회관 대극장', '부산', 'hall'), v('벡스코 오디토리움', '부산', 'arena'),
    v('계명아트센터', '대구', 'hall'), v('대구오페라하우스', '대구', 'hall'), v('영화의전당 하늘연극장', '부산', 'hall'),
    v('경남문화예술회관 대공연장', '진주', 'hall'), v('울산문화예술회관 대공연장', '울산', 'hall'), v('포항문화예술회관', '포항', 'hall'),
    v('창원 성산아트홀 대극장', '창원', 'hall'), v('대구 엑스코 동관', '대구', 'gallery', 'arena'), v('부산시립미술관', '부산', 'gallery'),
    v('부산시민회관 대극장', '부산', 'hall', 'concerthall'),
  ],
  전라: [
    v('광주문화예술회관 대극장', '광주', 'hall'), v('국립아시아문화전당 예술극장', '광주', 'hall', 'theater'),
    v('국립아시아문화전당 문화창조원', '광주', 'gallery'), v('한국소리문화의전당 모악당', '전주', 'hall', 'concerthall'),
    v('여수 GS칼텍스 예울마루 대극장', '여수', 'hall'), v('김대중컨벤션센터 컨벤션홀', '광주', 'arena', 'gallery'),
    v('목포시민문화체육센터', '목포', 'arena'),
  ],
  충청: [
    v('대전예술의전당 아트홀', '대전', 'hall', 'concerthall'), v('충남대학교 정심화홀', '대전', 'hall'), v('청주예술의전당 대공연장', '청주', 'hall'),
    v('천안예술의전당 대공연장', '천안', 'hall'), v('세종예술의전당', '세종', 'hall', 'concerthall'), v('충북대학교 개신문화관', '청주', 'hall'),
    v('대전시립미술관', '대전', 'gallery'),
  ],
  강원: [
    v('춘천문화예술회관', '춘천', 'hall'), v('강릉아트센터 사임당홀', '강릉', 'hall', 'concerthall'), v('원주 백운아트홀', '원주', 'hall'),
    v('알펜시아 콘서트홀', '평창', 'concerthall'), v('뮤지엄 산', '원주', 'gallery'),
  ],
  제주: [
    v('제주아트센터', '제주', 'hall', 'concerthall'), v('서귀포예술의전당 대극장', '서귀포', 'hall'), v('제주문화예술회관 대극장', '제주', 'hall'),
    v('빛의 벙커', '서귀포', 'gallery'),
  ],
};

/** Where each category is held (a region without such a venue falls back to its halls). */
export const CATEGORY_VENUES: Record<string, readonly VenueKind[]> = {
  콘서트: ['arena', 'club', 'hall', 'concerthall'], 뮤지컬: ['hall', 'theater'], 연극: ['theater', 'hall'], '뮤지컬/연극': ['theater', 'hall'],
  클래식: ['concerthall', 'hall'], '전시/행사': ['gallery'], 무용: ['hall'], '아동/가족': ['theater', 'hall'],
};

export const SURNAMES = ['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임', '한', '오', '서', '신', '권', '황', '안', '송', '류', '홍'];
export const GIVEN_SYLLABLES = [
  '민', '서', '지', '현', '준', '수', '영', '하', '윤', '진', '우', '은', '예', '도', '혜', '주', '원', '성',
  '태', '연', '재', '희', '아', '린', '호', '빈', '결', '솔', '찬', '경',
];
export const BAND_FIRST = ['새벽', '푸른', '달빛', '유리', '여름', '노을', '파란', '밤하늘', '소란', '구름', '별빛', '바다'];
export const BAND_SECOND = ['밴드', '고래', '정원', '상자', '열차', '소년단', '악단', '클럽', '라디오', '서랍'];
export const LATIN_ACTS = ['LUMINA', 'NOVA', 'ECLIPSE', 'ORBIT', 'VELVET MOON', 'BLUE HOUR', 'CYAN', 'AURORA'];

export const TITLE_FIRST = [
  '마지막', '붉은', '달빛', '겨울', '한여름밤의', '그날의', '위대한', '푸른', '잃어버린', '비밀의', '작은',
  '은하수', '오래된', '눈부신', '조용한', '이상한', '첫사랑', '하얀', '검은', '황금빛',
];
export const TITLE_SECOND = [
  '편지', '정원', '왕관', '기차', '고양이', '섬', '극장', '도시', '소나타', '여행자', '약속', '등대', '서점',
  '꿈', '마녀', '탐정', '신부', '항해', '초상', '계절',
];
export const CONCERT_SUBTITLES = ['빛의 조각', 'HOME', '다시, 봄', 'ON AIR', '우리의 계절', 'RE:BIRTH', '여름밤', 'ENCORE', 'THE MOMENT'];
export const EXHIBITION_THEMES = [
  '인상주의 걸작', '모네와 친구들', '반 고흐 몰입형', '한국 근현대 회화', '팀랩 라이트', '디즈니 애니메이션',
  '레고 아트', '고대 이집트 보물', '사진으로 본 서울', '미디어아트',
];
/** Orchestras and the region they are based in (null: national, they tour). */
export const ORCHESTRAS: readonly [string, string | null][] = [
  ['서울시립교향악단', '서울'], ['KBS교향악단', null], ['부천필하모닉오케스트라', '수도권'], ['코리안심포니오케스트라', null],
  ['경기필하모닉오케스트라', '수도권'], ['부산시립교향악단', '경상'], ['대구시립교향악단', '경상'], ['광주시립교향악단', '전라'],
  ['대전시립교향악단', '충청'], ['제주교향악단', '제주'], ['원주시립교향악단', '강원'],
];
export const INSTRUMENTS = ['피아노', '바이올린', '첼로', '비올라', '클라리넷', '소프라노'];
/** Dance companies and their home region (null: they tour). */
export const DANCE_COMPANIES: readonly [string, string | null][] = [['국립무용단', null], ['국립발레단', null], ['유니버설발레단', null], ['서울시무용단', '서울']];
export const ROLES = ['한결', '서윤', '도윤', '하린', '노인', '형사', '마담', '선장', '의사', '왕', '왕비', '소년', '소녀', '집사', '기자'];

export const RATINGS = ['전체관람가', '만 7세 이상', '8세 이상 관람가', '만 13세 이상', '14세 이상 관람가', '중학생 이상 관람가', '만 36개월 이상'];

/** `{title}`, `{venue}`; `{title:이/가}` is the title with the particle its last syllable takes. */
export const DESCRIPTION_OPENINGS = [
  '{title:이/가} 관객 여러분을 찾아갑니다.',
  '많은 사랑을 받아온 {title}, 올해 더욱 새로워진 모습으로 돌아왔습니다.',
  '{venue}에서 펼쳐지는 특별한 무대, {title}.',
  '개막 전부터 화제를 모은 {title}의 공연 소식을 전합니다.',
  '관객이 직접 선택한 올해의 공연, {title:을/를} 소개합니다.',
];
export const DESCRIPTION_MIDDLES = [
  '섬세한 연출과 감각적인 무대 미술이 어우러져 잊지 못할 시간을 선사합니다.',
  '실력파 배우들이 빚어내는 밀도 높은 연기가 극의 긴장감을 끝까지 이끌어 갑니다.',
  '라이브 밴드의 생생한 연주가 공연장을 가득 채웁니다.',
  '평범한 일상 속에서 서로를 이해해 가는 사람들의 이야기를 따뜻하게 그려냅니다.',
  '시대를 넘어선 사랑과 용기에 관한 이야기가 깊은 울림을 전합니다.',
  '원작의 감동은 그대로, 새로운 해석을 더해 한층 풍성해졌습니다.',
  '관객과 호흡하는 참여형 무대로 매 회차 다른 즐거움을 느낄 수 있습니다.',
  '세계 유수의 극장에서 호평받은 제작진이 참여했습니다.',
  '화려한 조명과 영상이 음악과 함께 하나의 작품을 완성합니다.',
  '웃음과 눈물이 교차하는 이야기 속에서 우리 모두의 모습을 발견하게 됩니다.',
  '공연 중 사진 촬영은 커튼콜에 한해 허용됩니다.',
  '티켓 예매 후 취소 시 취소 수수료가 부과될 수 있으니 유의하시기 바랍니다.',
  '공연 시작 후에는 입장이 제한될 수 있으니 여유 있게 도착해 주시기 바랍니다.',
  '주차 공간이 협소하오니 대중교통을 이용해 주시기 바랍니다.',
];
export const DESCRIPTION_ENDINGS = [
  '지금 바로 예매하고 특별한 순간을 함께하세요.',
  '소중한 사람과 함께 잊지 못할 추억을 만들어 보세요.',
  '올 시즌 놓쳐서는 안 될 단 하나의 무대입니다.',
  '여러분의 많은 관심과 성원 부탁드립니다.',
];
