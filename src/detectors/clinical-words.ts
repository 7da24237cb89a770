/**
 * Clinical words, abbreviations and drug/device names that the name and place
 * lists also contain ("Mae" = moves all extremities, "Wall" as in chest wall,
 * "Pt" = patient, "Foley" catheter, "Swan-Ganz"). Such a word is never a name
 * or a place on its own; a title ("Dr. Wall") still makes it one.
 * Kept lower case, space separated.
 */
const WORDS = `
mae wall pt pts foley hr iv vent neuro resp sats sat abg abgs cxr ekg ecg ct cta mri mra npo prn bid tid qid qd qhs qod po pr sq sc im
ngt ogt ett peg picc cvp map sbp dbp rr hct hgb wbc plt plts inr ptt bun cr na cl co2 glu ca mg phos alb lfts
lasix heparin coumadin insulin tylenol ativan morphine haldol dilaudid versed fentanyl fent propofol levophed
dopamine dobutamine neo vanco zosyn flagyl cipro levo kefzol ancef lopressor captopril digoxin kcl colace senna
dulcolax amio amiodarone nitro ntg asa plavix integrilin integrelin lovenox protonix pepcid zantac carafate reglan
zofran compazine benadryl ambien restoril xanax valium keppra dilantin solumedrol prednisone decadron
afib sinus tach brady nsr svt vt vf pvc pvcs pac pacs copd chf cad mi dm htn esrd arf cri uti pna gi gu
ms cv id ed er ew bb tlc av icu ccu micu sicu ctsicu nicu pmicu fmicu csru or pacu pcu osh rn md np pa do dr mr mrs miss
abd ext skin bs bm ua uo io ivf ns lr tf tpn fs ss riss
am pm hrs min mins mcg ml cc kg lb lbs cm mm
tol trach endo vea svr huo lytes aline a-line cordis quinton hickman doppler dispo contin cont temp temps tmax max
bolus edema pos mag bil sao pao spo fio peep cpap bipap psv imv simv prvc ac hugger bair swan ganz zoll passy muir
sternal reg rad poss maint tele sys supp liter liters le lue rue lle rle perl perla perrla kling vit stas sig sero
reck chem admin esp ax alt alot abi abis ica apc perm moi vue ase huo hoh soc bp hob dsg drsg dsd ptx cabg mvr avr
ptca pci cath echo tee tte eeg emg lp bx fx hx dx rx tx sx px cx c-diff mrsa vre esbl gnr gpc cocci rods
ngt dobhoff dobhof salem sump jp hemovac pleurevac chesttube flexiseal rectal tube trach-collar
fick ci co cvvh cvvhd crrt hd pd avf avg tpa ivc svc pa-line pacer pacemaker aicd icd lvad iabp impella ecmo
abx diuresis diuresed gtt gtts drip drips titrate titrated wean weaned weaning extubate intubate
sedation sedate pain agitation anxiety restless restlessness confusion delirium lethargy
dilt diltiazem metoprolol labetalol hydralazine enalapril lisinopril norvasc cardizem lipitor zocor
vasopressin vaso neosynephrine epi norepi milrinone primacor natrecor nipride esmolol
kayexalate calcium potassium magnesium sodium bicarb albumin ffp prbc prbcs plts cryo ivig
nexium prilosec famotidine pantoprazole octreotide sandostatin lactulose rifaximin
vancomycin zosyn meropenem cefepime ceftriaxone ceftaz levaquin bactrim augmentin unasyn clinda
tobra gent gentamicin tobramycin fluconazole diflucan acyclovir ganciclovir
ssi nph lantus glargine humalog novolog regular
tl ra la lv rv lvef ef mr tr ar as ms ps mvp
chemstick chemsticks fsbs bgm accucheck accuchecks
sputum secretions suction suctioned suctioning lavage
rehab snf vna hospice home floor unit team service
stable plan care family wife husband son daughter mother father brother sister mom dad
denies alert oriented awake lethargic sedated intubated extubated
left right bilat bilateral upper lower lt rt
transfer transferred admitted discharged
monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday tonight
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
mon tue tues wed thu thur thurs fri sat sun
english spanish french italian portuguese russian chinese haitian creole
nursing nurse nurses resident residents intern interns fellow fellows attending
destin allegra jesus god lord christ
mech med meds fiber shiley nite chol lente los hosp passe pearla paco genta nare nares stong tanish thich crea gluc lix marg met mets
essen tema tech tary stoma stoll ster stabel ronchi reuben rec quickley prox nore neph neice nard lyte loger lege hine higer grav dran dopp dept
couts cortis coord cola cing carina candida calender brach bowell bein bagan aswell assis ards ante anest allday adria achey abou wih vahue
vaca tyl trop sxn staus spiro sem remian quiton ota nad metamucil mim meg maes lenti lib lat irr ines est dop didi deines crean cos cheyne
cardia cal cabag buth bilous aloe vesta ama ami aler agress ade ada vvi parkinson pulmonale cor froom grage hoyer hockey mini tah tias vad
vols perma deg
christmas xmas easter thanksgiving halloween passover hanukkah chanukah
rom ros riker apap comp grad lipoma lipps melena micro peri reddish venti plat europe bahamas quentin
`;

export const CLINICAL_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));
