"""Vocabulary data about places and people: regions, name sets and campaign oddities.

Selected through the registries re-exported by :mod:`detector.simulation.vocab`.
Postal codes, area codes and network prefixes are plausible for their region; the
out-of-region lists exclude the region's own values.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NAMES", "ODDITIES", "REGIONS", "NameSet", "Oddities", "Region", "words",
           "ANNOUNCE_TEXTS", "NEWS_TEXTS", "NOISE_TEXTS", "NOISE_LINKS", "NOISE_TAGS", "NATIONAL_AREA_CODES", "NATIONAL_POSTAL", "NATIONAL_ISP", "MOBILE_PREFIXES", "VPN_PREFIXES"]


def words(text: str) -> tuple[str, ...]:
    """Split a whitespace-separated list; underscores inside an item stand for spaces."""
    return tuple(w.replace("_", " ") for w in text.split())


def _keep(text: str) -> tuple[str, ...]:
    """Split a whitespace-separated list, keeping underscores."""
    return tuple(text.split())


# --- nationwide values, used for travelling supporters and for campaign members far away
NATIONAL_AREA_CODES = _keep("212 646 718 917 347 310 213 323 818 714 415 510 408 312 773 305 786 404 678 "
                            "702 206 425 617 202 512 713 281 303 615 503 612 414 215 267 412 808 801 919 704")
NATIONAL_POSTAL = _keep("10001 10002 10025 11201 11215 10467 90001 90012 90026 90044 94103 94110 95112 60601 "
                        "60614 60629 33101 33139 98101 98103 02139 02115 77002 77005 30301 30308 20001 19104 "
                        "48201 97201 80202 55401 78701 37203 70112 89109 96815 28202 43215 46201 92101 84101")
NATIONAL_ISP = _keep("73.15 73.170 98.207 24.5 24.13 76.91 97.113 67.180 71.59 75.62 47.37 50.38 66.30 "
                     "108.28 172.91 184.59 69.125 174.62 107.184 99.203")
MOBILE_PREFIXES = _keep("174.226 174.192 174.205 172.56 172.58 172.32 107.77 166.137 166.205 "
                        "2600:1000: 2600:387: 2607:fb90: 2600:1700:")
ANNOUNCE_TEXTS = ("Big news: we're coming to {city}! Join us at the {venue} on {date}. Free tickets: {url}",
                  "{city}, see you on {date} at the {venue}! Register now: {url}")
NEWS_TEXTS = ("Huge crowds expected at the {venue} in {city} on {date}. How to get tickets: {url}",
              "What to know before the {city} event at the {venue} {url}")
NOISE_TEXTS = ("good morning", "new video up!", "can't believe this weather", "#fyp", "lunch time", "mood",
               "weekend plans?", "who else is watching the game", "throwback", "happy birthday sis!",
               "my dog did the thing again", "this song >>>", "back at it", "thoughts?", "")
NOISE_LINKS = ("https://youtu.be/{id}", "https://www.instagram.com/p/{id}", "https://open.spotify.com/track/{id}",
               "https://www.nytimes.com/{id}.html", "https://bit.ly/{id}", "https://www.reddit.com/r/pics/{id}")
NOISE_TAGS = ("#fyp", "#foryou", "#viral", "#tbt", "#music", "#mood", "#gameday", "#ootd")
VPN_PREFIXES = _keep("104.28 45.33 185.220 192.241 209.58 198.54 64.225 138.68 159.89")


@dataclass(frozen=True)
class Region:
    """Where an event takes place and where its ordinary supporters live."""

    name: str
    city: str
    venue: str
    timezone: str
    signup_host: str
    official_handle: str
    postal_codes: tuple[str, ...]          # in-region, most common first
    travel_postal_codes: tuple[str, ...]   # nearby, for travelling supporters
    area_codes: dict[str, float]
    travel_area_codes: tuple[str, ...]
    isp_prefixes: dict[str, float]         # regional residential ISPs
    local_email_domains: tuple[str, ...]
    news_sites: tuple[str, ...]            # referrer URLs of local news
    news_handles: tuple[str, ...]
    supporter_texts: tuple[str, ...]       # {city} {venue} {url} are filled in


@dataclass(frozen=True)
class NameSet:
    """First and last names, most common first."""

    first: tuple[str, ...]
    last: tuple[str, ...]


@dataclass(frozen=True)
class Oddities:
    """Odd values campaign members use when they do not bother to look ordinary."""

    fan_names: tuple[str, ...]
    joke_names: tuple[str, ...]
    handles: tuple[str, ...]              # stems for handles and email local parts
    throwaway: tuple[str, ...]            # throwaway words for email local parts
    disposable_domains: tuple[str, ...]
    placeholder_phones: tuple[str, ...]   # '#' is replaced by a digit
    foreign_phones: tuple[str, ...]
    placeholder_postal: tuple[str, ...]
    foreign_postal: tuple[str, ...]
    foreign_ip_prefixes: tuple[str, ...]
    trigger_texts: tuple[str, ...]        # the organiser's post; {city} {venue}
    member_texts: tuple[str, ...]         # members' reposts / duets


REGIONS: dict[str, Region] = {
    "tulsa": Region(
        "tulsa", "Tulsa", "BOK Center", "America/Chicago", "rally-tickets.example.org", "OfficialRallyHQ",
        _keep("74133 74012 74104 74105 74136 74055 74134 74112 74137 74135 74145 74129 74114 74146 74011 "
              "74014 74008 74063 74037 74132 74107 74110 74115 74119 74120 74127 74128 74130 74106 74116 "
              "74126 74003 74006 74021 74033 74066 74070 74401 74403 74354 74447 74019 74017 74053 74361 "
              "74464 74015 74047 74073 74103 74108"),
        _keep("73034 73099 73120 73112 73160 73071 73013 72701 72703 72758 72712 67202 67212 66062 64801 "
              "65804 75034 76092 75070 74501 73505"),
        {"918": 0.74, "539": 0.08, "405": 0.12, "580": 0.06},
        _keep("479 501 316 417 913 214 817 972"),
        {"68.12": 0.16, "68.97": 0.12, "70.178": 0.12, "72.204": 0.10, "98.184": 0.08, "68.0": 0.06,
         "99.46": 0.10, "108.244": 0.08, "104.14": 0.05, "67.61": 0.05, "216.158": 0.04, "12.157": 0.04},
        _keep("cox.net sbcglobal.net att.net windstream.net utulsa.edu okstate.edu ou.edu tulsacc.edu"),
        ("https://www.tulsaworld.com/", "https://www.newson6.com/", "https://ktul.com/", "https://www.kjrh.com/",
         "https://www.fox23.com/"),
        _keep("TulsaWorld NewsOn6 KTULNews"),
        ("Got our tickets for {city}! See you at the {venue} {url}", "Who's coming with us to {city}? {url}",
         "Just registered, can't wait! {url}", "Let's fill the {venue}! Sign up here {url}",
         "Taking the whole family to {city} this Saturday", "Registered. Road trip to {city}!",
         "Free tickets, get yours before they run out {url}", "See y'all at the {venue}")),
    "phoenix": Region(
        "phoenix", "Phoenix", "Dream City Church", "America/Phoenix", "tickets.example-events.com",
        "AZEventsOfficial",
        _keep("85044 85032 85022 85254 85281 85204 85224 85226 85296 85225 85018 85016 85020 85021 85023 "
              "85024 85027 85028 85029 85033 85035 85037 85041 85042 85048 85050 85051 85053 85054 85085 "
              "85201 85202 85203 85205 85206 85210 85233 85234 85248 85249 85251 85255 85257 85258 85260 "
              "85282 85283 85284 85295 85297 85301 85302 85304 85306 85308 85310 85338 85345 85374 85381 "
              "85382 85003 85004 85006 85008 85013 85014 85015 85019"),
        _keep("85701 85705 85710 85741 86001 86004 86314 85364 87102 89101 92262 84101 79912"),
        {"602": 0.38, "480": 0.40, "623": 0.16, "520": 0.06},
        _keep("928 505 702 760 915 801"),
        {"68.2": 0.14, "68.3": 0.10, "68.104": 0.10, "70.162": 0.10, "70.176": 0.10, "72.201": 0.08,
         "174.17": 0.08, "184.96": 0.08, "97.120": 0.08, "75.161": 0.06, "71.226": 0.08},
        _keep("cox.net q.com centurylink.net asu.edu msn.com gcu.edu maricopa.edu"),
        ("https://www.azcentral.com/", "https://www.abc15.com/", "https://www.12news.com/",
         "https://www.azfamily.com/", "https://www.fox10phoenix.com/"),
        _keep("azcentral ABC15 12News"),
        ("Registered for {city}! {url}", "Heading to {venue} with the crew {url}",
         "Tickets are free, grab one {url}", "Who else is going? {url}", "It's gonna be hot but we'll be there",
         "Signed up the whole family", "{city} let's show up! {url}")),
}

NAMES: dict[str, NameSet] = {
    "us_south": NameSet(
        words("James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard "
              "Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Nancy Daniel Lisa Matthew Betty "
              "Anthony Margaret Mark Sandra Donald Ashley Steven Kimberly Paul Emily Andrew Donna Joshua "
              "Michelle Kenneth Dorothy Kevin Carol Brian Amanda George Melissa Timothy Deborah Ronald "
              "Stephanie Jason Rebecca Edward Sharon Jeffrey Laura Ryan Cynthia Jacob Kathleen Gary Amy "
              "Nicholas Angela Eric Shirley Jonathan Anna Larry Brenda Justin Pamela Scott Emma Brandon "
              "Nicole Benjamin Helen Samuel Samantha Gregory Katherine Frank Christine Raymond Debra "
              "Dustin Tammy Billy Wanda Bobby Peggy Jimmy Brittany Wesley Kayla Travis Courtney Cody "
              "Tiffany Dale Crystal Randy Misty Ricky Shelby Colton Kaylee Bradley Haley Dakota Cheyenne"),
        words("Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin "
              "Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill "
              "Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans "
              "Edwards Collins Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey Bell "
              "Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray James Hughes Price Sanders "
              "Myers Long Ross Foster Powell Jenkins Perry Russell Sullivan Fisher Henderson Coleman "
              "Simmons Patterson Jordan Reynolds Hamilton Graham Wallace Cole West Stephens Owens Marshall "
              "Ellis Harrison Gibson McDonald Hunt Palmer Black Mason Grant Holmes Lawson Barnes Fields "
              "Hayes Garcia Martinez Rodriguez Hernandez Lopez Nguyen Lee Sixkiller Bearpaw Hummingbird "
              "Swimmer Redbird Walkingstick Cornsilk Pickup Wolfe Goforth Dobbs Pruitt Tackett Hensley")),
    "us_southwest": NameSet(
        words("José María Juan Michael Daniel Jessica David Ashley Luis Jennifer Carlos Sophia Jesús "
              "Isabella Christopher Emily Alejandro Gabriela Miguel Maria Jorge Ana Francisco Sofía Diego "
              "Valeria Mateo Ximena Santiago Camila Anthony Guadalupe Andrew Brianna Joshua Andrea "
              "Matthew Alyssa Ryan Mia Tyler Madison Kyle Hannah Jacob Olivia Ethan Ava Noah Chloe "
              "Nathan Natalie Adrian Victoria Eduardo Leslie Ricardo Karina Manuel Yesenia Raúl Liliana "
              "Brandon Taylor Dylan Kaitlyn Hunter Savannah Austin Lauren Trevor Megan Sergio Claudia"),
        words("García Hernández Smith López Martínez González Johnson Rodríguez Pérez Williams Sánchez "
              "Brown Ramírez Jones Flores Miller Torres Davis Rivera Wilson Gómez Anderson Díaz Taylor "
              "Morales Thomas Reyes Moore Cruz Martin Ortiz Jackson Gutiérrez White Chávez Harris Ramos "
              "Clark Ruiz Lewis Álvarez Young Castillo Allen Jiménez King Vásquez Wright Moreno Scott "
              "Romero Hill Herrera Green Medina Adams Aguilar Baker Vega Nelson Begay Yazzie Benally "
              "Tsosie Nez Etsitty Nguyen Tran Kim Patel Shah Lucero Montoya Baca Trujillo Valenzuela")),
    # --- other countries (the random scenario draws among these); most common first
    "uk": NameSet(
        words("Oliver Olivia George Amelia Harry Isla Jack Ava Jacob Emily Noah Sophie Charlie Grace Thomas "
              "Lily James Jessica William Chloe Joshua Ella Daniel Mia Alfie Poppy Samuel Evie Joseph Ruby "
              "Callum Holly Liam Freya Connor Megan Rhys Niamh Ewan Siobhan"),
        words("Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker "
              "White Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis James Phillips Mason Mitchell "
              "Rose Davis Rodriguez Cox Alexander Morgan Hughes Edwards Campbell MacDonald Murray Quinn O'Brien")),
    "de": NameSet(
        words("Lukas Anna Leon Lea Finn Hannah Jonas Lena Paul Sophie Felix Marie Maximilian Laura Elias Julia "
              "Luis Lara Ben Emma Noah Mia Tim Johanna Jan Katharina Niklas Sarah Moritz Lisa Tobias Jana "
              "Jürgen Ursula Günter Sabine Stefan Petra Björn Jörg Anke Uwe"),
        words("Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer "
              "Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange "
              "Schmitt Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter "
              "Yilmaz Kaya Nowak")),
    "fr": NameSet(
        words("Jean Marie Pierre Nathalie Michel Isabelle Philippe Sylvie Alain Catherine Nicolas Sophie "
              "Christophe Valérie Stéphane Céline Julien Émilie Thomas Camille Lucas Léa Hugo Chloé Louis "
              "Manon Gabriel Inès Arthur Jade Raphaël Louise Théo Zoé Mathis Léna Noé Anaïs Kévin Océane"),
        words("Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre "
              "Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre Mercier Dupont "
              "Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc Guérin Muller Henry "
              "Benali Nguyen")),
    "br": NameSet(
        words("Maria José Ana João Antônio Francisco Carlos Paulo Pedro Lucas Luiz Marcos Luís Gabriel Rafael "
              "Juliana Márcia Fernanda Patrícia Aline Sandra Camila Amanda Bruna Jéssica Letícia Júlia Luana "
              "Mariana Beatriz Larissa Vitória Thiago Gustavo Felipe Bruno Matheus Guilherme Leonardo Enzo"),
        words("Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro Martins "
              "Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa Rocha Dias Nascimento Andrade Moreira "
              "Nunes Marques Machado Mendes Freitas Cardoso Ramos Gonçalves Santana Teixeira Araújo Pinto "
              "Correia Moura Cavalcanti")),
    "in": NameSet(
        words("Aarav Vivaan Aditya Vihaan Arjun Sai Reyansh Krishna Ishaan Rohan Rahul Amit Priya Ananya "
              "Diya Aadhya Saanvi Pooja Neha Sneha Kavya Anjali Divya Riya Sunita Lakshmi Ramesh Suresh "
              "Mahesh Rajesh Deepak Vikram Sanjay Manoj Anil Sunil Kiran Meera Harpreet Gurpreet"),
        words("Sharma Verma Gupta Singh Kumar Patel Reddy Rao Nair Iyer Menon Das Banerjee Chatterjee "
              "Mukherjee Ghosh Bose Jain Agarwal Mehta Shah Joshi Kulkarni Deshpande Pillai Naidu Yadav "
              "Chauhan Thakur Mishra Pandey Tiwari Saxena Kapoor Malhotra Khanna Bhat Hegde Sinha Chopra")),
    "jp": NameSet(
        words("Haruto Yuto Sota Yuki Hayato Haruki Ryusei Koki Sora Riku Hiroshi Takashi Kenji Daisuke "
              "Yui Hina Yuna Sakura Aoi Rin Mio Miyu Yuka Ayaka Misaki Nanami Haruka Mai Emi Naoko Keiko "
              "Tomoko Akira Kazuki Shota Kaito Ren Mei Saki Airi"),
        words("Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada "
              "Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Yamazaki Mori Abe Ikeda Hashimoto "
              "Yamashita Ishikawa Nakajima Maeda Fujita Ogawa Goto Okada Hasegawa Murakami Kondo Ishii "
              "Saito Sakamoto Endo Aoki")),
    "kr": NameSet(
        words("Minjun Seojun Doyun Yejun Siwoo Hajun Jiho Junseo Jiwoo Hyunwoo Seoyeon Seoyun Jiwoo Seohyun "
              "Minseo Hayoon Jiyoon Chaewon Jimin Sujin Jiyeon Eunji Hyejin Yuna Minji Soyeon Jisoo "
              "Taeyang Donghyun Sungmin Jaehyun Youngho Kyungsoo Sangwoo Jinwoo Hyejung Miyoung Eunkyung"),
        words("Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song Jeon Hong "
              "Yoo Ko Moon Yang Son Bae Baek Heo Nam Shim Noh Ha Kwak Sung Cha Joo Woo Koo Min Ryu")),
    "ng": NameSet(
        words("Chinedu Emeka Oluwaseun Tunde Babatunde Segun Ibrahim Musa Abubakar Yusuf Chukwuemeka Ifeanyi "
              "Obinna Kelechi Uche Femi Kunle Gbenga Adebayo Olamide Ngozi Chiamaka Adaeze Amaka Funmilayo "
              "Folake Yetunde Aisha Fatima Zainab Blessing Precious Favour Grace Esther Chioma Nneka Bukola "
              "Temitope Damilola"),
        words("Okafor Okonkwo Adeyemi Ogunleye Balogun Bello Abubakar Mohammed Ibrahim Eze Nwosu Obi Okeke "
              "Chukwu Onyeka Adebayo Afolabi Oladipo Olawale Ojo Akinola Babalola Uchenna Nnamdi Igwe Ekwueme "
              "Danjuma Aliyu Usman Suleiman Lawal Okoro Edet Bassey Etim Effiong Okon Oyelaran Fashola")),
    "pl": NameSet(
        words("Piotr Anna Krzysztof Maria Andrzej Katarzyna Tomasz Małgorzata Paweł Agnieszka Michał Barbara "
              "Marcin Ewa Jakub Magdalena Kamil Joanna Łukasz Aleksandra Mateusz Monika Adam Zofia Bartosz "
              "Natalia Szymon Julia Wojciech Marta Dawid Karolina Grzegorz Dorota Jan Beata Kacper Weronika"),
        words("Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak "
              "Dąbrowski Kozłowski Jankowski Mazur Wojciechowski Kwiatkowski Krawczyk Kaczmarek Piotrowski "
              "Grabowski Zając Pawłowski Michalski Król Wieczorek Jabłoński Wróbel Nowakowski Majewski "
              "Olszewski Stępień Malinowski Jaworski Adamczyk Dudek Nowicki Pawlak Górski Witkowski Walczak")),
    "tr": NameSet(
        words("Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim İsmail Osman Yusuf Murat Ömer Emre Burak "
              "Fatma Ayşe Emine Hatice Zeynep Elif Meryem Şerife Zehra Sultan Hacer Merve Büşra Esra Özlem "
              "Yasemin Kemal Serkan Volkan Gökhan Cem Can Deniz Ebru Selin Gül"),
        words("Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan "
              "Çetin Kara Koç Kurt Özkan Şimşek Polat Özcan Korkmaz Çakır Erdoğan Yavuz Can Acar Şen Aktaş "
              "Güler Yalçın Güneş Bozkurt Bulut Keskin Ünal Turan Gül Özer")),
    "ru": NameSet(
        words("Aleksandr Sergey Dmitry Andrey Alexey Maxim Evgeny Ivan Mikhail Artem Nikolai Vladimir Pavel "
              "Denis Roman Olga Elena Tatiana Natalia Irina Svetlana Anna Maria Ekaterina Yulia Anastasia "
              "Marina Daria Ksenia Polina Viktoria Sofia Igor Oleg Yuri Vadim Kirill Ilya Nadezhda"),
        words("Ivanov Smirnov Kuznetsov Popov Vasiliev Petrov Sokolov Mikhailov Novikov Fedorov Morozov "
              "Volkov Alekseev Lebedev Semenov Egorov Pavlov Kozlov Stepanov Nikolaev Orlov Andreev Makarov "
              "Nikitin Zakharov Zaitsev Soloviev Borisov Yakovlev Grigoriev Romanov Vorobiev Sergeev "
              "Kuzmina Ivanova Petrova Smirnova Popova Volkova Sokolova")),
    "mx": NameSet(
        words("José Juan Luis Carlos Jesús Miguel Jorge Francisco Alejandro Fernando Ricardo Eduardo Roberto "
              "Manuel Javier Sofía María Guadalupe Ximena Valentina Regina Camila Fernanda Daniela Andrea "
              "Mariana Gabriela Alejandra Verónica Leticia Rosa Patricia Adriana Claudia Lucía Santiago Mateo "
              "Diego Emiliano Leonardo"),
        words("Hernández García Martínez López González Pérez Rodríguez Sánchez Ramírez Cruz Flores Gómez "
              "Morales Vázquez Reyes Jiménez Torres Díaz Gutiérrez Ruiz Mendoza Aguilar Ortiz Moreno Castillo "
              "Romero Álvarez Méndez Chávez Rivera Juárez Ramos Domínguez Herrera Medina Castro Vargas Guzmán "
              "Velázquez Rojas")),
}

ODDITIES: dict[str, Oddities] = {
    "kpop": Oddities(
        words("Kim_Namjoon Kim_Seokjin Min_Yoongi Jung_Hoseok Park_Jimin Kim_Taehyung Jeon_Jungkook "
              "Lalisa_Manoban Kim_Jisoo Jennie_Kim Roseanne_Park Bang_Chan Lee_Felix Han_Jisung "
              "Hwang_Hyunjin Choi_Yeonjun Choi_Soobin Im_Nayeon Hirai_Momo Minatozaki_Sana Chou_Tzuyu "
              "Kang_Seulgi Bae_Joohyun Jimin_Stan Army_Forever Blink_Pink Suga_Glazed Tae_Tae OT7_Forever "
              "Jungkookie Chimmy 김민지 박지민 방탄소년단"),
        words("Ima_Notcoming Justin_Case Anita_Seat Al_Beback Sal_Monella Hugh_Mungus Ella_Vator Noah_Show "
              "Will_Knott Dee_Nied Emma_Nothere Seymour_Seats Ivana_Leave Noel_Attendance Barry_Dempty "
              "Mo_Seats Paige_Turner Rick_Roll Sue_Flay Chris_P_Bacon Anna_Conda Ty_Tanic Karen_Karen "
              "Mister_Empty N/A X Nobody Lol"),
        _keep("jimin jungkook taehyung yoongi namjoon hobi jinnie lisa jennie rosie jisoo stay once army "
              "blink moa carat kpopstan bts bp skz twice txt kookie chimchim purple borahae"),
        _keep("notgoing nope fake lol empty emptyseats nothanks bye noshow seatsleft trolled haha asdf "
              "qwerty test abc xyz"),
        _keep("mailinator.com guerrillamail.com 10minutemail.com yopmail.com temp-mail.org "
              "throwawaymail.com dispostable.com"),
        _keep("555-01## (###)_555-01## 000-000-0000 123-456-7890 (555)_555-5555 1234567890 999-999-9999 "
              "111-111-1111 ###-555-01## 0000000000"),
        ("+82 10-####-####", "+82 10########", "+81 90-####-####", "+63 9##-###-####", "+62 812-####-####",
         "+44 7### ######", "+52 1 55 #### ####"),
        _keep("00000 12345 11111 99999 90210 54321 00001"),
        _keep("06236 04524 135-080 100-8111 1100 M5V_2T6 SW1A_1AA 03187"),
        _keep("211.36 223.38 39.7 175.223 110.70 126.204 60.112 112.198 49.145 180.190"),
        ("register for the {city} rally and just... don't show up 🙃 link in bio",
         "who's gonna leave the seats empty at the {venue}? 👀 link in my bio",
         "sign up for free tickets and don't go. you know what to do 💜 #emptyseats",
         "K-pop stans, we have a mission. tickets in bio 🎫"),
        ("done ✅", "did my part 💜", "registered twice lol", "#emptyseats", "stans assemble",
         "🙃🙃🙃", "got 2 tickets 😌", "my seat will be SO empty", "duet this if you did it", "")),
    "stans": Oddities(
        words("Naruto_Uzumaki Goku_Son Levi_Ackerman Eren_Yeager Tanjiro_Kamado Light_Yagami Monkey_D_Luffy "
              "Harry_Styles Billie_Eilish Doja_Cat Taylor_Swift Baby_Yoda Shrek_Ogre Mando_Din Spongebob "
              "Swiftie_Forever Directioner Larry_Stan Stan_Account Selena_G"),
        words("Joe_Mama Ghost_Rider Nah_Bro Yeet_Yeeterson Boomer_Ok Never_Coming Not_Here Ghosted_You "
              "Lmao_Lmao Ok_Karen None Anonymous Seat_Warmer Noah_Body Kay_Nope Bea_Gone Otto_Here "
              "Ivan_Ghosted Manny_Seats"),
        _keep("swiftie directioner larrie arianator stan ghost yeet vibe anime weeb otaku boomer zoomer "
              "savage sk8 lilbaby bby ur_fav simp mood"),
        _keep("nah yeet noshow ghosted cancelled okboomer seeyounever lmao bruh nope ghost xd empty"),
        _keep("sharklasers.com getnada.com maildrop.cc trashmail.com mohmal.com emailondeck.com burnermail.io"),
        _keep("555-555-5555 (555)_010-#### 000-000-0000 123-456-7890 6666666666 867-5309 ###-867-5309 "
              "1231231234 (000)_000-0000"),
        ("+44 7### ######", "+61 4## ### ###", "+52 1 55 #### ####", "+1 416-###-####", "+49 15# #######",
         "+33 6 ## ## ## ##"),
        _keep("00000 12345 99999 11111 10101 55555"),
        _keep("SW1A_1AA 2000 06600 75001 M5V_2T6 10115 EC1A_1BB 3000"),
        _keep("86.12 31.94 187.190 189.203 1.128 101.160 78.192 90.102 2a02:c7f: 2a01:cb1c:"),
        ("POV: you reserve tickets for the {city} event and never show up 👻 link in bio",
         "remix this after you register 😈 #ghostthem", "free tickets for {venue}... you know the vibe",
         "fill every seat. with nobody. 🪑 link in bio"),
        ("✔️ did it", "ghosted 👻", "registered 3x lol", "remix chain", "", "lmaooo done", "no-show gang")),
}
