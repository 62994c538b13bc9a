import { useState, type ReactNode } from 'react';
import { NavLink, useNavigate } from 'react-router';
import { useI18n, type Language } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { useCan, useCurrentUser, useSchool, useSignOut } from '../session';

interface NavItem {
  to: string;
  label: MessageKey;
  /** Shown to those holding any of these (none: everyone signed in). */
  anyOf?: string[];
}

const NAV: NavItem[] = [
  { to: '/', label: 'nav.home' },
  { to: '/students', label: 'nav.students', anyOf: ['students:read'] },
  { to: '/teachers', label: 'nav.teachers', anyOf: ['teachers:read'] },
  { to: '/staff', label: 'nav.staff', anyOf: ['staff:read'] },
  { to: '/students/import', label: 'nav.import', anyOf: ['students:write'] },
  { to: '/classes', label: 'nav.classes', anyOf: ['classes:read'] },
  { to: '/letters', label: 'nav.letters', anyOf: ['letters:review'] },
  { to: '/my-letters', label: 'nav.myLetters' },
  { to: '/statistics', label: 'nav.statistics', anyOf: ['stats:read'] },
  { to: '/roles', label: 'nav.roles', anyOf: ['roles:read'] },
  { to: '/profile', label: 'nav.profile' },
];

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <label className="language">
      <span className="visually-hidden">{t('nav.language')}</span>
      <select value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
        <option value="id">Bahasa Indonesia</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const can = useCan();
  const { data: me } = useCurrentUser();
  const { data: school } = useSchool();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const [menuOpen, setMenuOpen] = useState(false);

  const items = NAV.filter((item) => !item.anyOf || item.anyOf.some(can));
  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="top">
        <button type="button" className="menu-button" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen((open) => !open)}>
          {t('nav.menu')}
        </button>
        <span className="brand">{school?.name ?? 'Core'}</span>
        <div className="top-actions">
          <LanguageSwitch />
          <span className="who">{me?.user.name}</span>
          <button
            type="button"
            onClick={async () => {
              await signOut();
              navigate('/sign-in');
            }}
          >
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <div className="frame">
        <nav id="main-nav" className={menuOpen ? 'open' : ''} aria-label={t('nav.main')}>
          <ul>
            {items.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.to === '/' || item.to === '/students'} onClick={() => setMenuOpen(false)}>
                  {t(item.label)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main">{children}</main>
      </div>
    </>
  );
}
